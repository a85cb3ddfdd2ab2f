using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Quarry.Server.Errors;

/// <summary>The one place that turns exceptions into RFC 9457 problem details.</summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ServerOptions options, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
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
            _ when StoreFailures.IsDiskFull(exception) => (507, "Insufficient storage",
                "The store's disk is full, so this change was not saved. Free disk space where the store keeps its data "
                + "(the data folder on SQLite, the database server's disk on PostgreSQL), then retry.", null),
            _ when StoreFailures.IsReadOnly(exception) => (503, "Store not writable",
                "The store can't be written: the data folder or its quarry.db is read-only (or was removed). "
                + "Make them writable by the user running Quarry, then retry.", null),
            _ when StoreFailures.IsUnavailable(exception) => (503, "Store unavailable",
                "The store (PostgreSQL) can't be reached right now; it may be restarting. Retry in a few seconds.", null),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => (499, "Client closed request", "The request was cancelled.", null),
            _ => (500, "Server error", "The server failed to handle the request; the server log has the details.", (IDictionary<string, string[]>?)null),
        };
        if (status == 500) logger.LogError(exception, "Unhandled error for {Method} {Path}", context.Request.Method, context.Request.Path);
        // The cause is the store, not the request: say so once in the log, without the stack trace.
        if (status is 503 or 507) logger.LogWarning("{Method} {Path} answered {Status}: {Message}", context.Request.Method, context.Request.Path, status, exception.GetBaseException().Message);
        if (status == 503) context.Response.Headers.RetryAfter = RetryAfterSeconds;
        if (status == 503 && StoreFailures.IsUnavailable(exception)) StoreFailures.ForgetPooledConnections(options);

        context.Response.StatusCode = status;
        var problem = errors is null
            ? new ProblemDetails { Status = status, Title = title, Detail = detail }
            : new HttpValidationProblemDetails(errors) { Status = status, Title = title, Detail = detail };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>How long a client should wait before retrying a request the store could not serve.</summary>
    private const string RetryAfterSeconds = "5";

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
