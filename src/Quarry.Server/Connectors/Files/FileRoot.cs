namespace Quarry.Server.Connectors.Files;

/// <summary>Where a files connection points: a folder of data files, or a DuckDB database file.</summary>
internal sealed record FileRoot(string Path, bool IsDatabase)
{
    private static readonly string[] ObjectStores = ["s3://", "gs://", "gcs://", "az://", "abfss://", "http://", "https://"];

    public static FileRoot Of(ConnectionDetails connection)
    {
        var path = connection.Path?.Trim();
        if (string.IsNullOrEmpty(path))
            throw new ConnectorException(ConnectorFailure.Other, "The files connection has no path: set 'path' to a folder (or a DuckDB database file) on the Quarry server.");
        if (ObjectStores.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            throw new ConnectorException(ConnectorFailure.Other,
                $"'{path}' is an object store address; Quarry reads only folders on the Quarry server for now. Copy or mount the files there and set 'path' to that folder.");
        if (Directory.Exists(path)) return new FileRoot(System.IO.Path.GetFullPath(path), false);
        if (File.Exists(path)) return new FileRoot(System.IO.Path.GetFullPath(path), true);
        throw new ConnectorException(ConnectorFailure.CatalogMissing,
            $"'{path}' does not exist on the Quarry server. Check the connection's path: a folder of data files, or a DuckDB database file (Quarry only reads it, never creates it).");
    }
}
