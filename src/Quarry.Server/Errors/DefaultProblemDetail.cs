namespace Quarry.Server.Errors;

/// <summary>
/// Gives a detail to the problems ASP.NET Core writes by itself (status code pages for an unknown path, a
/// wrong method or a non-JSON body), which otherwise say only their status.
/// </summary>
internal static class DefaultProblemDetail
{
    public static void Fill(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Detail is not null) return;
        var request = context.HttpContext.Request;
        context.ProblemDetails.Detail = context.ProblemDetails.Status switch
        {
            StatusCodes.Status404NotFound => $"Nothing is at {request.Path}. The API's paths are listed in /api/openapi.json.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not take {request.Method}. The methods each path takes are in /api/openapi.json.",
            // Kestrel answers a body over the limit itself; the endpoint never runs.
            StatusCodes.Status413PayloadTooLarge => InputLimits.TooLargeDetail(context.HttpContext),
            StatusCodes.Status415UnsupportedMediaType => "Send the request body as JSON, with 'Content-Type: application/json'.",
            _ => null,
        };
    }
}
