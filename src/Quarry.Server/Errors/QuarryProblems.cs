namespace Quarry.Server.Errors;

/// <summary>A failure a client caused or can fix; mapped to a problem details response by <see cref="ProblemExceptionHandler"/>.</summary>
public abstract class QuarryProblem(int status, string title, string detail, IDictionary<string, string[]>? errors = null) : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public IDictionary<string, string[]>? Errors { get; } = errors;
}

public sealed class BadRequestProblem(string detail) : QuarryProblem(400, "Invalid request", detail);

public sealed class NotFoundProblem(string detail) : QuarryProblem(404, "Not found", detail)
{
    public static NotFoundProblem For(string resource, int id) => new($"No {resource} has id {id}.");
}

public sealed class ConflictProblem(string detail) : QuarryProblem(409, "Conflict", detail);

public sealed class ForbiddenProblem(string detail) : QuarryProblem(403, "Forbidden", detail);

public sealed class InvalidInputProblem(IDictionary<string, string[]> errors)
    : QuarryProblem(400, "Validation failed", string.Join(" ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))), errors)
{
    public static InvalidInputProblem Single(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}
