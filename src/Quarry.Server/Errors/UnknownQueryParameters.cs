using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Mvc;

namespace Quarry.Server.Errors;

/// <summary>
/// A query parameter an endpoint does not know is refused with 400 naming it, never ignored: a client that sends
/// a filter Quarry does not have (<c>?datastore_type=</c>) would otherwise act on every row instead of the ones it
/// meant. What an endpoint knows is read once from its handler's parameters (plain ones, <c>[FromQuery]</c> and the
/// properties of <c>[AsParameters]</c> records), so a new filter is known as soon as its handler takes it; an
/// endpoint that reads its query itself lists its parameters with <see cref="KnownQueryParameters.AcceptsOnlyQuery"/>.
/// </summary>
internal static class UnknownQueryParameters
{
    private static readonly ConcurrentDictionary<MethodInfo, HashSet<string>> Known = new();

    public static IApplicationBuilder RejectUnknownQueryParameters(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.Query.Count > 0
            && context.Request.Path.StartsWithSegments("/api")
            && context.GetEndpoint() is { } endpoint
            && (endpoint.Metadata.GetMetadata<AcceptedQuery>() is not null || endpoint.Metadata.GetMetadata<MethodInfo>() is not null))
        {
            var known = endpoint.Metadata.GetMetadata<AcceptedQuery>() is { } declared
                ? new HashSet<string>(declared.Names, StringComparer.OrdinalIgnoreCase)
                : Known.GetOrAdd(endpoint.Metadata.GetMetadata<MethodInfo>()!, NamesOf);
            var unknown = context.Request.Query.Keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                var takes = known.Count == 0 ? "It takes no query parameters." : $"It takes: {string.Join(", ", known.Order(StringComparer.Ordinal))}.";
                throw new BadRequestProblem(
                    $"{context.Request.Method} {context.Request.Path} does not know the query parameter{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(u => $"'{u}'"))}. {takes}");
            }
        }
        await next(context);
    });

    private static HashSet<string> NamesOf(MethodInfo handler)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in handler.GetParameters())
        {
            if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                foreach (var property in parameter.ParameterType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                    if (property.GetCustomAttribute<FromQueryAttribute>() is { } fromQuery) names.Add(fromQuery.Name ?? property.Name);
                    else if (IsSimple(property.PropertyType) && property.CanWrite) names.Add(property.Name);
                continue;
            }
            if (parameter.GetCustomAttribute<FromQueryAttribute>() is { } query) names.Add(query.Name ?? parameter.Name!);
            else if (parameter.GetCustomAttribute<FromRouteAttribute>() is null && parameter.GetCustomAttribute<FromBodyAttribute>() is null
                && IsSimple(parameter.ParameterType)) names.Add(parameter.Name!);
        }
        return names;
    }

    private static bool IsSimple(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsArray) return IsSimple(type.GetElementType()!);
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime)
            || type == typeof(DateTimeOffset) || type == typeof(Guid);
    }
}
