using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Quarry.Server.Errors;

/// <summary>
/// Refuses a query parameter an endpoint does not know with a 400 naming it. Ignoring it would answer as if the
/// filter had been applied: <c>?stauts=Active</c> would list every anomaly, and a script would act on all of them.
/// </summary>
public static class KnownQueryParameters
{
    public static TBuilder AcceptsOnlyQuery<TBuilder>(this TBuilder builder, params string[] known) where TBuilder : IEndpointConventionBuilder
    {
        var allowed = new HashSet<string>(known, StringComparer.OrdinalIgnoreCase);
        builder.AddEndpointFilter(async (context, next) =>
        {
            var unknown = context.HttpContext.Request.Query.Keys.Where(k => !allowed.Contains(k)).ToList();
            if (unknown.Count > 0)
            {
                var takes = known.Length == 0 ? "takes no query parameters" : $"takes only: {string.Join(", ", known)}";
                throw new BadRequestProblem(
                    $"Unknown query parameter{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(u => $"'{u}'"))}: this endpoint {takes}. Check the spelling.");
            }
            return await next(context);
        });
        return builder;
    }
}
