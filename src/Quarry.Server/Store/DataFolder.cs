namespace Quarry.Server.Store;

/// <summary>The data folder cannot hold Quarry's files; the message says which folder and what to do.</summary>
public sealed class DataFolderException(string message, Exception? inner = null) : InvalidOperationException(message, inner);

/// <summary>
/// The data folder holds the SQLite store and the secret key, so only the user running Quarry may read it: the
/// folder is 0700 and its files 0600. SQLite gives the <c>-wal</c> and <c>-shm</c> files the mode of
/// <c>quarry.db</c>, so creating that file 0600 before SQLite opens it covers all three.
/// </summary>
public static class DataFolder
{
    public const string StoreFileName = "quarry.db";

    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OthersBits = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Creates the folder (or narrows an existing one and Quarry's files in it to their owner) and checks it can be
    /// written; returns its full path. Throws <see cref="DataFolderException"/> when it can't be created or written.
    /// </summary>
    public static string Prepare(string directory)
    {
        var path = Path.GetFullPath(directory);
        try
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
            else
            {
                Directory.CreateDirectory(path, FolderMode);
                Narrow(path, FolderMode);
                foreach (var file in Directory.EnumerateFiles(path)) Narrow(file, FileMode);
            }
            // Creating a file is what SQLite (its -wal and -shm files) and the secret key need, so that is the check.
            var probe = Path.Combine(path, $".write-check-{Guid.NewGuid():N}");
            using (new FileStream(probe, System.IO.FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw NotWritable(path, e);
        }
        return path;
    }

    /// <summary>Creates an empty <c>quarry.db</c> readable by its owner only, unless it exists; SQLite takes an empty file as a new database.</summary>
    public static void CreateStoreFile(string directory)
    {
        var file = Path.Combine(Path.GetFullPath(directory), StoreFileName);
        if (File.Exists(file)) return;
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FileMode;
        try
        {
            using var stream = new FileStream(file, options);
        }
        catch (IOException) when (File.Exists(file))
        {
            // Another process created it first.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw NotWritable(Path.GetDirectoryName(file)!, e);
        }
    }

    public static DataFolderException NotWritable(string path, Exception? cause = null)
    {
        var reason = cause switch
        {
            IOException io when io.HResult == 28 || io.Message.Contains("space", StringComparison.OrdinalIgnoreCase) => "the disk is full",
            IOException io when io.Message.Contains("Read-only", StringComparison.OrdinalIgnoreCase) => "it is on a read-only file system",
            UnauthorizedAccessException => "permission denied",
            Microsoft.Data.Sqlite.SqliteException when StoreFailures.IsDiskFull(cause) => "the disk is full",
            Microsoft.Data.Sqlite.SqliteException => $"its {StoreFileName} is read-only",
            null => "it is read-only",
            _ => cause.Message,
        };
        return new DataFolderException(
            $"The data folder {path} can't be written ({reason}). Quarry keeps its SQLite store and secret key there: "
            + "make the folder writable by the user running Quarry (and free disk space if it is full), or start with --data pointing to a writable folder.", cause);
    }

    private static void Narrow(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows()) return;
        if ((File.GetUnixFileMode(path) & OthersBits) == 0) return;
        try
        {
            File.SetUnixFileMode(path, mode);
        }
        catch (UnauthorizedAccessException)
        {
            // Not ours to change (another user's file in a shared folder): the write check below decides whether Quarry can work here.
        }
    }
}
