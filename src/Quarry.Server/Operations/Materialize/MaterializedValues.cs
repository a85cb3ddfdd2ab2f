using System.Collections;

namespace Quarry.Server.Operations.Materialize;

/// <summary>
/// How a source's values land in a materialized table when Quarry copies them: each column's kind from the .NET type
/// the source's driver reads, and each value as the enrichment writer binds it (text for what has no column kind).
/// </summary>
internal static class MaterializedValues
{
    public static EnrichmentType KindOf(Type type) => Type.GetTypeCode(type) switch
    {
        TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 => EnrichmentType.BigInteger,
        TypeCode.Single or TypeCode.Double => EnrichmentType.Number,
        TypeCode.Decimal => EnrichmentType.Decimal,
        TypeCode.Boolean => EnrichmentType.Boolean,
        TypeCode.DateTime => EnrichmentType.Timestamp,
        _ when type == typeof(DateTimeOffset) => EnrichmentType.Timestamp,
        _ => EnrichmentType.Text,
    };

    public static object? Value(object? value, EnrichmentType kind) => value switch
    {
        null => null,
        DateTimeOffset time when kind == EnrichmentType.Timestamp => time.UtcDateTime,
        sbyte or byte or short or ushort or int or uint when kind == EnrichmentType.BigInteger => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        float single when kind == EnrichmentType.Number => (double)single,
        _ when kind != EnrichmentType.Text => value,
        string text => text,
        byte[] bytes => Convert.ToBase64String(bytes),
        DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToString("O", CultureInfo.InvariantCulture),
        IEnumerable items => JsonSerializer.Serialize(items.Cast<object?>().Select(i => i?.ToString())),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
