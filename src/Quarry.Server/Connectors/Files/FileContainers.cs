using System.Text.RegularExpressions;

namespace Quarry.Server.Connectors.Files;

/// <summary>The formats a folder's files are read as, by their extension (a compressed one keeps its inner extension).</summary>
public enum FileFormat
{
    Csv,
    Parquet,
    JsonLines,
}

/// <summary>One container of a folder: a file, the files that share a name pattern, or a sub-folder of partitioned files.</summary>
public sealed record FileContainer(string Name, FileFormat Format, IReadOnlyList<string> Files);

/// <summary>
/// Turns the files of a folder into containers. A name ending in a partition part (a separator, then a digit:
/// <c>orders_2024-01.csv</c>, <c>orders_2024-02.csv</c>) belongs to the container named by what comes before it
/// (<c>orders</c>), so a container keeps its name as new partitions arrive. A sub-folder is one container of every
/// file below it in its most common format (Hive-style <c>events/year=2024/part-0.parquet</c> → <c>events</c>).
/// Hidden and bookkeeping files (<c>.crc</c>, <c>_SUCCESS</c>) are left out, and so are files of other formats.
/// </summary>
public static partial class FileContainers
{
    [GeneratedRegex(@"^(?<base>.*?[^_\-.])[_\-.]\d[\p{L}\p{N}_\-.=]*$")]
    private static partial Regex PartitionSuffix();

    private static readonly string[] Compressions = [".gz", ".zst"];

    public static FileFormat? FormatOf(string fileName) => Path.GetExtension(WithoutCompression(fileName).ToLowerInvariant()) switch
    {
        ".csv" or ".tsv" or ".txt" => FileFormat.Csv,
        ".parquet" => FileFormat.Parquet,
        ".jsonl" or ".ndjson" or ".json" => FileFormat.JsonLines,
        _ => null,
    };

    /// <summary>The container a file belongs to: its name without its extensions and without a trailing partition part.</summary>
    public static string ContainerNameOf(string fileName)
    {
        var stem = Path.GetFileNameWithoutExtension(WithoutCompression(fileName));
        if (stem.Length == 0) return fileName;
        var match = PartitionSuffix().Match(stem);
        return match.Success ? match.Groups["base"].Value : stem;
    }

    private static string WithoutCompression(string fileName) =>
        Compressions.FirstOrDefault(c => fileName.EndsWith(c, StringComparison.OrdinalIgnoreCase)) is { } c ? fileName[..^c.Length] : fileName;

    public static bool IsHidden(string name) => name.StartsWith('.') || name.StartsWith('_');

    /// <summary>Every container of <paramref name="folder"/>, ordered by name.</summary>
    public static IReadOnlyList<FileContainer> Of(string folder)
    {
        var candidates = new List<(string Name, FileFormat Format, List<string> Files)>();
        foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            var fileName = Path.GetFileName(file);
            if (IsHidden(fileName) || FormatOf(fileName) is not { } format) continue;
            var name = ContainerNameOf(fileName);
            var group = candidates.FirstOrDefault(c => c.Name == name && c.Format == format);
            if (group.Files is null) candidates.Add((name, format, [file]));
            else group.Files.Add(file);
        }
        foreach (var sub in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
        {
            var subName = Path.GetFileName(sub);
            if (IsHidden(subName)) continue;
            var files = Directory.EnumerateFiles(sub, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false })
                .Where(f => !Path.GetRelativePath(sub, f).Split(Path.DirectorySeparatorChar).Any(IsHidden))
                .Select(f => (File: f, Format: FormatOf(Path.GetFileName(f))))
                .Where(f => f.Format is not null)
                .ToList();
            if (files.Count == 0) continue;
            var format = files.GroupBy(f => f.Format!.Value).OrderByDescending(g => g.Count()).First().Key;
            candidates.Add((subName, format, files.Where(f => f.Format == format).Select(f => f.File).Order(StringComparer.Ordinal).ToList()));
        }
        // Two formats under one name ("orders.csv" and "orders.parquet") stay two containers, told apart by format.
        var clashing = candidates.GroupBy(c => c.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        return candidates
            .Select(c => new FileContainer(clashing.Contains(c.Name) ? $"{c.Name}_{c.Format.ToString().ToLowerInvariant()}" : c.Name, c.Format, c.Files))
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
    }
}
