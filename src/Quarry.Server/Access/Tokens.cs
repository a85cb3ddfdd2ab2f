using System.Security.Cryptography;
using System.Text;

namespace Quarry.Server.Access;

/// <summary>API tokens: 32 random bytes shown once; only their SHA-256 is stored.</summary>
public static class Tokens
{
    public const string Prefix = "qry_";

    public static string Generate() => Prefix + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))).ToLowerInvariant();

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
