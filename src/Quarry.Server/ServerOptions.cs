namespace Quarry.Server;

/// <summary>How one Quarry server instance runs: where it listens and which store it uses.</summary>
public sealed class ServerOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 8080;
    /// <summary>The data folder: the SQLite store (when no PostgreSQL is given) and the secret key file.</summary>
    public string DataDirectory { get; set; } = "./quarry-data";
    /// <summary>A PostgreSQL connection string; null means SQLite in the data folder.</summary>
    public string? Database { get; set; }
    /// <summary>Sets the first admin's token instead of generating one (QUARRY_ADMIN_TOKEN).</summary>
    public string? AdminToken { get; set; }
    /// <summary>Base64 of a 32-byte key (QUARRY_SECRET_KEY); otherwise a key file in the data folder.</summary>
    public string? SecretKey { get; set; }
    /// <summary>How many operations this instance runs at once.</summary>
    public int Workers { get; set; } = 4;
    /// <summary>Apply pending store migrations at start; when false, a store that is behind stops the start.</summary>
    public bool Migrate { get; set; } = true;
    /// <summary>Where the first admin's token is announced; the CLI prints it to the terminal.</summary>
    public Action<string>? AnnounceAdminToken { get; set; }

    public StoreKind StoreKind => string.IsNullOrWhiteSpace(Database) ? StoreKind.Sqlite : StoreKind.PostgreSql;

    public string StoreConnectionString => StoreKind == StoreKind.Sqlite
        ? $"Data Source={Path.Combine(Path.GetFullPath(DataDirectory), "quarry.db")};Foreign Keys=True;Pooling=True"
        : Database!;
}
