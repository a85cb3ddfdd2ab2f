using Quarry.Server;
using Quarry.Server.Store;

namespace Quarry.Cli.Commands;

/// <summary>
/// What <c>serve</c> and <c>db status|migrate</c> share about reaching the store: a malformed <c>--database</c> is a
/// usage error, and a store that can't be opened is a one-line failure, never a stack trace.
/// </summary>
internal static class StoreOptionCheck
{
    /// <summary>The usage error for a <c>--database</c> that isn't a PostgreSQL connection string, or null.</summary>
    public static string? Problem(ServerOptions options)
    {
        if (options.StoreKind != StoreKind.PostgreSql) return null;
        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(options.Database);
            return null;
        }
        catch (ArgumentException e)
        {
            // Only the setting's name: the string may hold a password, and the driver's message could quote values.
            var setting = string.IsNullOrEmpty(e.ParamName) ? "" : $" (the setting '{e.ParamName}' is unknown or its value is not valid)";
            return $"--database (or QUARRY_DATABASE) is not a valid PostgreSQL connection string{setting}. "
                + "Write it as Host=...;Port=5432;Database=...;Username=...;Password=...";
        }
    }

    /// <summary>Failures of opening or migrating the store that the user can fix (wrong host, locked file, store behind).</summary>
    public static bool IsStoreFailure(Exception e) =>
        e is InvalidOperationException or IOException or Npgsql.NpgsqlException or Microsoft.Data.Sqlite.SqliteException;

    public static int Fail(CliContext context, string message, int code = ExitCodes.Failure)
    {
        context.Err.MarkupLine($"[red]error:[/] {message.EscapeMarkup()}");
        return code;
    }
}
