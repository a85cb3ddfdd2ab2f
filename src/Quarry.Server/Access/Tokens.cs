using System.Security.Cryptography;
using System.Text;

namespace Quarry.Server.Access;

/// <summary>
/// API tokens. A token is a JWT (<c>header.payload.signature</c>) because Qualytics clients decode it before
/// sending a request (they read <c>exp</c> and refuse anything that is not a JWT). The server never trusts the
/// signature or the claims: only the token's SHA-256 is stored, and every request is matched against the store,
/// so deleting a token revokes it at once. The signature is an HMAC under a random key that is thrown away: it
/// is what makes the token unguessable (256 random bits), and nothing can verify it, by design.
/// Tokens issued before tokens were JWTs (<c>qry_…</c>) are still matched by their hash.
/// </summary>
public static class Tokens
{
    public const string LegacyPrefix = "qry_";
    private static readonly string Header = Base64Url("""{"alg":"HS256","typ":"JWT"}"""u8.ToArray());

    /// <summary>A token for a user, as <c>POST /api/users/{id}/tokens</c> issues it.</summary>
    public static string Generate(int userId, DateTime issuedAt, DateTime? expiresAt) =>
        Generate(userId.ToString(CultureInfo.InvariantCulture), issuedAt, expiresAt);

    /// <summary>
    /// A token made before its user exists, for <c>QUARRY_ADMIN_TOKEN</c> in automation: it has no <c>sub</c>, since
    /// the server decides which user holds it when it starts.
    /// </summary>
    public static string Generate() => Generate(subject: null, DateTime.UtcNow, null);

    private static string Generate(string? subject, DateTime issuedAt, DateTime? expiresAt)
    {
        var claims = new Dictionary<string, object>();
        if (subject is not null) claims["sub"] = subject;
        claims["iat"] = new DateTimeOffset(issuedAt, TimeSpan.Zero).ToUnixTimeSeconds();
        claims["jti"] = Guid.NewGuid().ToString("N");
        if (expiresAt is DateTime exp) claims["exp"] = new DateTimeOffset(exp, TimeSpan.Zero).ToUnixTimeSeconds();
        var signed = Header + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = HMACSHA256.HashData(RandomNumberGenerator.GetBytes(32), Encoding.ASCII.GetBytes(signed));
        return signed + "." + Base64Url(signature);
    }

    public static string Hash(string token) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))).ToLowerInvariant();

    /// <summary>The longest lifetime a token may be given: past that, a token without expiry says it better.</summary>
    public static readonly TimeSpan LongestLifetime = TimeSpan.FromDays(3650);

    /// <summary>
    /// <c>30d</c>, <c>12h</c>, <c>90m</c> or <c>2w</c> (a whole number and a unit), as <c>--expires-in</c> and the
    /// API's <c>expires_in</c> take it; null when not given.
    /// </summary>
    public static TimeSpan? ParseLifetime(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var value = text.Trim();
        TimeSpan? unit = value[^1] switch
        {
            'm' => TimeSpan.FromMinutes(1),
            'h' => TimeSpan.FromHours(1),
            'd' => TimeSpan.FromDays(1),
            'w' => TimeSpan.FromDays(7),
            _ => null,
        };
        if (unit is null || !int.TryParse(value[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0)
            throw InvalidInputProblem.Single(field, $"'{text}' is not a lifetime: give a whole number and a unit, m (minutes), h (hours), d (days) or w (weeks), e.g. 30d.");
        var lifetime = unit.Value * count;
        if (lifetime > LongestLifetime)
            throw InvalidInputProblem.Single(field, $"'{text}' is longer than {LongestLifetime.TotalDays:0} days; leave it out for a token that does not expire.");
        return lifetime;
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
