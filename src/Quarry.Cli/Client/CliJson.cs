using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Quarry.Cli.Client;

/// <summary>
/// Serialization code generated at build time for what the everyday commands send and read. Reflection-based
/// System.Text.Json builds each type's metadata on first use, which is much of a short command's CPU; types not
/// listed here still work through the reflection resolver behind this one.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(Page<DatastoreDto>))]
[JsonSerializable(typeof(Page<ConnectionDto>))]
[JsonSerializable(typeof(Page<ContainerDto>))]
[JsonSerializable(typeof(Page<OperationDto>))]
[JsonSerializable(typeof(Page<UserDto>))]
[JsonSerializable(typeof(Page<TeamDto>))]
[JsonSerializable(typeof(Page<TokenDto>))]
[JsonSerializable(typeof(List<DatastoreDto>))]
[JsonSerializable(typeof(List<ConnectionDto>))]
[JsonSerializable(typeof(List<ContainerDto>))]
[JsonSerializable(typeof(List<OperationDto>))]
[JsonSerializable(typeof(List<UserDto>))]
[JsonSerializable(typeof(List<TeamDto>))]
[JsonSerializable(typeof(DatastoreRequest))]
[JsonSerializable(typeof(ConnectionRequest))]
[JsonSerializable(typeof(MeDto))]
[JsonSerializable(typeof(StatusDto))]
[JsonSerializable(typeof(QuarryClient.ProblemBody))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>The generated metadata first, reflection for everything else (config import's types, anonymous bodies).</summary>
    /// <remarks>
    /// Computed on call, not in a static initializer: the order of static initializers across this class's partial
    /// declarations is not defined, and one that ran before the generated <c>Default</c> combined a null away.
    /// </remarks>
    public static IJsonTypeInfoResolver CreateResolver() => JsonTypeInfoResolver.Combine(Default, new DefaultJsonTypeInfoResolver());
}
