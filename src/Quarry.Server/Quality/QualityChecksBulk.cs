namespace Quarry.Server.Quality;

/// <summary>
/// <c>POST /api/quality-checks/bulk</c>: many checks in one request, all or none. Every item is validated as a single
/// <c>POST /api/quality-checks</c> would validate it, errors keyed by the item's index (<c>[3].properties.max</c>),
/// and nothing is written unless every item is valid; then all are written in one transaction, which is what makes
/// thousands of checks take seconds rather than a round trip and a commit each.
/// </summary>
public static class QualityChecksBulk
{
    /// <summary>At most this many checks in one request.</summary>
    public const int MaxItems = 10_000;

    public static async Task<Created<List<QualityCheckDto>>> CreateManyAsync(List<QualityCheckRequest>? requests, QuarryDb db, QualityCheckService service, CancellationToken ct)
    {
        if (requests is null || requests.Count == 0) throw new BadRequestProblem("The body must be a non-empty JSON array of quality checks, each as POST /api/quality-checks takes it.");
        if (requests.Count > MaxItems) throw new BadRequestProblem($"The body holds {requests.Count:N0} checks; send at most {MaxItems:N0} at a time.");
        var errors = new Dictionary<string, List<string>>();
        var created = new List<QualityCheck>();
        var seen = new Dictionary<(int Container, string Identity), int>();
        for (var i = 0; i < requests.Count; i++)
        {
            if (requests[i] is not { } request)
            {
                CheckRules.Add(errors, $"[{i}]", "is null; give a quality check object.");
                continue;
            }
            try
            {
                await QualityCheckTemplatesApi.ApplyAsync(db, request, ct);
                var check = await service.CreateAsync(request, ct);
                if (seen.TryGetValue((check.ContainerId, check.IdentityKey), out var first))
                {
                    CheckRules.Add(errors, $"[{i}]", $"is the same check as item {first} (same container, rule and fields); give each a distinct uid, or send it once.");
                    db.Entry(check).State = Microsoft.EntityFrameworkCore.EntityState.Detached;
                    continue;
                }
                seen[(check.ContainerId, check.IdentityKey)] = i;
                created.Add(check);
            }
            catch (QuarryProblem problem) when (problem.Status is 400 or 409)
            {
                if (problem.Errors is { } fields)
                    foreach (var (key, messages) in fields)
                        foreach (var message in messages) CheckRules.Add(errors, $"[{i}].{key}", message);
                else CheckRules.Add(errors, $"[{i}]", problem.Message);
            }
            catch (ForbiddenProblem problem)
            {
                throw new ForbiddenProblem($"Item {i}: {problem.Message} Nothing was created.");
            }
        }
        if (errors.Count > 0) throw CatalogFields.Problem(errors);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created("/api/quality-checks", await QualityCheckResponses.ManyAsync(db, created, ct));
    }
}
