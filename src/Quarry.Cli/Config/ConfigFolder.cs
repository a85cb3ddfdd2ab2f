namespace Quarry.Cli.Config;

/// <summary>
/// A config folder as PRODUCT.md lays it out. <c>--input</c> may name the root, its <c>datastores/</c>
/// folder, or one datastore's folder; all three are read as the part of the root they are.
/// </summary>
public sealed class ConfigFolder
{
    public const string DatastoreFile = "_datastore.yaml";

    private ConfigFolder(string input, string? root, string? datastores, string? singleDatastore)
    {
        Input = input;
        Root = root;
        DatastoresFolder = datastores;
        SingleDatastore = singleDatastore;
    }

    public string Input { get; }
    /// <summary>The config root when the input is one (or sits inside one); its name is the default namespace.</summary>
    public string? Root { get; }
    public string? DatastoresFolder { get; }
    public string? SingleDatastore { get; }

    /// <summary>The namespace recorded on what this config creates: the config root's folder name.</summary>
    public string DefaultNamespace => Path.GetFileName((Root ?? Input).TrimEnd(Path.DirectorySeparatorChar));

    /// <summary>Reads the layout of <paramref name="input"/>, or says why it isn't a config folder.</summary>
    public static ConfigFolder Open(string input, out string? problem)
    {
        problem = null;
        var full = Path.GetFullPath(input).TrimEnd(Path.DirectorySeparatorChar);
        if (!Directory.Exists(full))
        {
            problem = $"--input '{input}' is not a folder.";
            return new ConfigFolder(full, null, null, null);
        }
        if (Directory.Exists(Path.Combine(full, "connections")) || Directory.Exists(Path.Combine(full, "datastores")))
            return new ConfigFolder(full, full, Path.Combine(full, "datastores"), null);
        var parent = Path.GetDirectoryName(full);
        if (FindDatastoreFile(full) is not null)
        {
            var root = parent is not null && Path.GetFileName(parent) == "datastores" ? Path.GetDirectoryName(parent) : null;
            return new ConfigFolder(full, root, null, full);
        }
        if (Directory.EnumerateDirectories(full).Any(d => FindDatastoreFile(d) is not null))
            return new ConfigFolder(full, Path.GetFileName(full) == "datastores" ? parent : null, full, null);
        problem = $"--input '{input}' is not a config folder: expected connections/ or datastores/ in it, a datastore folder with {DatastoreFile}, or a datastores/ folder.";
        return new ConfigFolder(full, null, null, null);
    }

    /// <summary><c>connections/*.yaml</c>, only when the input is the root (a datastores folder has no connections).</summary>
    public IEnumerable<string> ConnectionFiles()
    {
        if (Root is null || SingleDatastore is not null || Input != Root) return [];
        var folder = Path.Combine(Root, "connections");
        if (!Directory.Exists(folder)) return [];
        return Directory.EnumerateFiles(folder).Where(IsYaml).Order(StringComparer.Ordinal);
    }

    public IEnumerable<string> DatastoreFiles()
    {
        if (SingleDatastore is not null) return [FindDatastoreFile(SingleDatastore)!];
        if (DatastoresFolder is null || !Directory.Exists(DatastoresFolder)) return [];
        return DatastoreFolders().Select(FindDatastoreFile).OfType<string>();
    }

    /// <summary>Each datastore's folder, whether or not it has its _datastore.yaml.</summary>
    public IEnumerable<string> DatastoreFolders()
    {
        if (SingleDatastore is not null) return [SingleDatastore];
        if (DatastoresFolder is null || !Directory.Exists(DatastoresFolder)) return [];
        return Directory.EnumerateDirectories(DatastoresFolder).Order(StringComparer.Ordinal);
    }

    private static string? FindDatastoreFile(string folder)
    {
        foreach (var name in new[] { DatastoreFile, "_datastore.yml" })
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    private static bool IsYaml(string path) => path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
}
