using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Quarry.Server.Errors;

/// <summary>The one place that turns exceptions into RFC 9457 problem details.</summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var (status, title, detail, errors) = exception switch
        {
            QuarryProblem p => (p.Status, p.Title, p.Message, p.Errors),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (413, "Request body too large", InputLimits.TooLargeDetail(context), null),
            BadHttpRequestException b => (b.StatusCode, "Invalid request", DescribeBadRequest(b), null),
            DbUpdateException d when UniqueViolation.IsUniqueViolation(d) =>
                (409, "Conflict", "A resource with that name already exists; names are unique regardless of case.", null),
            DbUpdateException d when UniqueViolation.IsForeignKeyViolation(d) =>
                (409, "Conflict", "The resource is still referenced by others, or refers to one that no longer exists.", null),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => (499, "Client closed request", "The request was cancelled.", null),
            _ => (500, "Server error", "The server failed to handle the request; the server log has the details.", (IDictionary<string, string[]>?)null),
        };
        if (status == 500) logger.LogError(exception, "Unhandled error for {Method} {Path}", context.Request.Method, context.Request.Path);

        context.Response.StatusCode = status;
        var problem = errors is null
            ? new ProblemDetails { Status = status, Title = title, Detail = detail }
            : new HttpValidationProblemDetails(errors) { Status = status, Title = title, Detail = detail };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static string DescribeBadRequest(BadHttpRequestException exception) =>
        exception.InnerException is System.Text.Json.JsonException json
            ? JsonProblemText.Describe(json)
            : BindingProblemText.Describe(exception.Message) ?? exception.Message;
}

internal static class UniqueViolation
{
    public static bool IsUniqueViolation(DbUpdateException exception) => exception.InnerException switch
    {
        Npgsql.PostgresException pg => pg.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };

    public static bool IsForeignKeyViolation(DbUpdateException exception) => exception.InnerException switch
    {
        Npgsql.PostgresException pg => pg.SqlState == Npgsql.PostgresErrorCodes.ForeignKeyViolation,
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode == 787,
        _ => false,
    };
}
