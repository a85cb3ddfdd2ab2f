using System.IO.Enumeration;

namespace Quarry.Cli.Config;

/// <summary>
/// A config folder: <c>connections/</c> and <c>datastores/&lt;name&gt;/_datastore.yaml</c> (docs/config-import.md). <c>--input</c> may name the root, its <c>datastores/</c>
/// folder, or one datastore's folder; all three are read as the part of the root they are.
/// Each folder is listed once and its listing answers every later "is there a … here?" (a folder of 10,000
/// datastores otherwise cost 50,000 failed stat calls for containers/, checks/ and _datastore.yml). Hidden
/// files and folders (names starting with a dot) are not part of the config.
/// </summary>
public sealed class ConfigFolder
{
    public const string DatastoreFile = ConfigLayout.DatastoreFile;

    /// <summary>What a datastore's folder may call its file, in order of preference.</summary>
    private static readonly string[] DatastoreFileNames = [DatastoreFile, "_datastore.yml"];

    private readonly Dictionary<string, Listing> _listings = new(StringComparer.Ordinal);

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

    /// <summary>Reads the layout of <paramref name="input"/>, or says why it isn't a config folder (naming it as <paramref name="shown"/>, what the user typed).</summary>
    public static ConfigFolder Open(string input, out string? problem, string? shown = null)
    {
        shown ??= input;
        problem = null;
        var full = Path.GetFullPath(input).TrimEnd(Path.DirectorySeparatorChar);
        if (!Directory.Exists(full))
        {
            problem = $"--input '{shown}' is not a folder.";
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
        problem = $"--input '{shown}' is not a config folder: expected connections/ or datastores/ in it, a datastore folder with {DatastoreFile}, or a datastores/ folder.";
        return new ConfigFolder(full, null, null, null);
    }

    /// <summary>
    /// Every <c>.yaml</c>/<c>.yml</c> under <c>connections/</c>, sub-folders included (<c>connections/prod/</c>,
    /// <c>connections/dev/</c> group them; names stay unique across all of them), only when the input is the root
    /// (a datastores folder has no connections).
    /// </summary>
    public IEnumerable<string> ConnectionFiles()
    {
        if (Root is null || SingleDatastore is not null || Input != Root) return [];
        return YamlFilesUnder(Path.Combine(Root, "connections"));
    }

    // A linked folder is not followed: one that links back to a parent would be read forever.
    private IEnumerable<string> YamlFilesUnder(string folder) =>
        YamlFiles(folder).Concat(Subfolders(folder).Where(sub => new DirectoryInfo(sub).LinkTarget is null).SelectMany(YamlFilesUnder));

    public IEnumerable<string> DatastoreFiles() => DatastoreFolders().Select(DatastoreFileIn).OfType<string>();

    /// <summary>Each datastore's folder, whether or not it has its _datastore.yaml.</summary>
    public IEnumerable<string> DatastoreFolders()
    {
        if (SingleDatastore is not null) return [SingleDatastore];
        return DatastoresFolder is null ? [] : Subfolders(DatastoresFolder);
    }

    /// <summary>The datastore file of a datastore's folder (<c>_datastore.yaml</c>, or <c>.yml</c>), or null.</summary>
    public string? DatastoreFileIn(string folder)
    {
        var files = List(folder).Files;
        foreach (var name in DatastoreFileNames)
            if (files.Contains(name)) return Path.Combine(folder, name);
        return null;
    }

    public bool HasFile(string folder, string name) => List(folder).Files.Contains(name);

    public bool HasFolder(string folder, string name) => List(folder).Folders.Contains(name);

    /// <summary>The folders inside <paramref name="folder"/>, in ordinal order; none when it doesn't exist.</summary>
    public IEnumerable<string> Subfolders(string folder) => List(folder).Folders.Order(StringComparer.Ordinal).Select(name => Path.Combine(folder, name));

    /// <summary>The <c>.yaml</c>/<c>.yml</c> files in <paramref name="folder"/>, in ordinal order; none when it doesn't exist.</summary>
    public IEnumerable<string> YamlFiles(string folder) => List(folder).Files
        .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
        .Order(StringComparer.Ordinal).Select(name => Path.Combine(folder, name));

    private static string? FindDatastoreFile(string folder)
    {
        foreach (var name in DatastoreFileNames)
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    private sealed record Listing(HashSet<string> Files, HashSet<string> Folders);

    private Listing List(string folder)
    {
        if (_listings.TryGetValue(folder, out var listing)) return listing;
        listing = new Listing(new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));
        try
        {
            // Hidden entries are not config: macOS's "._name.yaml" copies, editors' ".name.yaml" drafts, ".git".
            var entries = new FileSystemEnumerable<(string Name, bool IsFolder)>(folder, (ref FileSystemEntry entry) => (entry.FileName.ToString(), entry.IsDirectory),
                new EnumerationOptions { AttributesToSkip = FileAttributes.Hidden | FileAttributes.System });
            foreach (var (name, isFolder) in entries) (isFolder ? listing.Folders : listing.Files).Add(name);
        }
        catch (DirectoryNotFoundException)
        {
            // A folder that isn't there (a config without connections/) holds nothing. Most folders listed come
            // from their parent's listing, so asking first would be one more system call each.
        }
        _listings[folder] = listing;
        return listing;
    }
}
