namespace Quarry.Server.Errors;

/// <summary>
/// Names the query parameters an endpoint takes when its handler reads them itself rather than as parameters.
/// <see cref="UnknownQueryParameters"/> refuses any other with a 400 naming it. Ignoring it would answer as if the
/// filter had been applied: <c>?stauts=Active</c> would list every anomaly, and a script would act on all of them.
/// </summary>
public static class KnownQueryParameters
{
    public static TBuilder AcceptsOnlyQuery<TBuilder>(this TBuilder builder, params string[] known) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AcceptedQuery(known));
}

/// <summary>The query parameters an endpoint takes, when they cannot be read from its handler's parameters.</summary>
public sealed record AcceptedQuery(IReadOnlyList<string> Names);
