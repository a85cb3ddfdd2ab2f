using System.Security.Cryptography;
using System.Text;

namespace Quarry.Server.Secrets;

/// <summary>
/// Encrypts secrets at rest with AES-256-GCM under a key the server owns. Ciphertexts look like
/// <c>v1.&lt;base64(nonce|ciphertext|tag)&gt;</c>; a fresh nonce each time, so equal secrets never
/// produce equal bytes in the store.
/// </summary>
public sealed class SecretBox
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const string Prefix = "v1.";
    private readonly byte[] _key;

    public SecretBox(byte[] key)
    {
        if (key.Length != 32) throw new ArgumentException("The secret key must be 32 bytes.", nameof(key));
        _key = key;
    }

    /// <summary>A value that identifies the key without revealing it, kept in the store so a wrong key is caught at start.</summary>
    public string Fingerprint => Convert.ToHexString(HMACSHA256.HashData(_key, "quarry-key-check"u8)).ToLowerInvariant();

    public string Encrypt(string plaintext)
    {
        var data = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + data.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, data, output.AsSpan(NonceSize, data.Length), output.AsSpan(NonceSize + data.Length));
        return Prefix + Convert.ToBase64String(output);
    }

    public string Decrypt(string ciphertext)
    {
        if (!ciphertext.StartsWith(Prefix, StringComparison.Ordinal))
            throw new CryptographicException("Stored secret has an unknown format.");
        var input = Convert.FromBase64String(ciphertext[Prefix.Length..]);
        var length = input.Length - NonceSize - TagSize;
        var plain = new byte[length];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize, length), input.AsSpan(NonceSize + length), plain);
        return Encoding.UTF8.GetString(plain);
    }

    public string? EncryptOrNull(string? plaintext) => plaintext is null ? null : Encrypt(plaintext);

    public string? DecryptOrNull(string? ciphertext) => ciphertext is null ? null : Decrypt(ciphertext);

    /// <summary>
    /// Loads the key from <paramref name="base64Key"/> when given, else from <c>secret.key</c> in the data
    /// folder, creating it (mode 0600) on first start.
    /// </summary>
    public static SecretBox Load(string? base64Key, string dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(base64Key))
        {
            byte[] key;
            try { key = Convert.FromBase64String(base64Key.Trim()); }
            catch (FormatException) { throw new InvalidOperationException("QUARRY_SECRET_KEY is not base64. Generate one with: openssl rand -base64 32"); }
            if (key.Length != 32) throw new InvalidOperationException("QUARRY_SECRET_KEY must be 32 bytes of base64 (openssl rand -base64 32).");
            return new SecretBox(key);
        }

        Store.DataFolder.Prepare(dataDirectory);
        var path = Path.Combine(dataDirectory, "secret.key");
        if (!File.Exists(path))
        {
            var key = RandomNumberGenerator.GetBytes(32);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            try
            {
                using var stream = new FileStream(path, options);
                using var writer = new StreamWriter(stream);
                writer.Write(Convert.ToBase64String(key));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another instance sharing the folder created it first; use theirs.
            }
        }
        return new SecretBox(Convert.FromBase64String(File.ReadAllText(path).Trim()));
    }
}
