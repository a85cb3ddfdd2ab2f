using System.Collections.Concurrent;

namespace Quarry.Server.Connectors.Files;

/// <summary>
/// The fields DuckDB read for a container, kept in memory by its files' paths, sizes and modification times, so that a
/// re-sync of a folder reads again only the files that changed: a DuckDB describe of a small file costs 1–4 ms of CPU,
/// seconds for thousands of files, and the result depends on nothing but the files' contents. A file modified within
/// the last <see cref="Settled"/> is never remembered, since a second change in the same clock tick would keep its
/// modification time (the "racily clean" files of git's index); nor is a container of a file that can't be stat-ed.
/// </summary>
internal static class FileSchemas
{
    /// <summary>More than a file system's coarsest modification-time step (2 s on FAT; a clock tick elsewhere).</summary>
    private static readonly TimeSpan Settled = TimeSpan.FromSeconds(3);

    /// <summary>Containers remembered at most; past it the memory starts over (it only ever saves reading).</summary>
    private const int Capacity = 100_000;

    private static readonly ConcurrentDictionary<Stamp, IReadOnlyList<FieldInfo>> Known = new();

    /// <summary>What identifies a container's contents: its format, then each file's path, size and modification time.</summary>
    internal sealed record Stamp(FileFormat Format, string Files);

    /// <summary>The container's stamp, or null when it must be read anyway (a file changed just now, or is gone).</summary>
    public static Stamp? StampOf(FileContainer container)
    {
        var text = new System.Text.StringBuilder();
        var settledBefore = DateTime.UtcNow - Settled;
        foreach (var file in container.Files)
        {
            var info = new FileInfo(file);
            if (!info.Exists) return null;
            var modified = info.LastWriteTimeUtc;
            if (modified >= settledBefore) return null;
            text.Append(file).Append('\0').Append(info.Length).Append('\0').Append(modified.Ticks).Append('\n');
        }
        return new Stamp(container.Format, text.ToString());
    }

    public static IReadOnlyList<FieldInfo>? Find(Stamp? stamp) =>
        stamp is not null && Known.TryGetValue(stamp, out var fields) ? fields : null;

    public static void Remember(Stamp? stamp, IReadOnlyList<FieldInfo> fields)
    {
        if (stamp is null) return;
        if (Known.Count >= Capacity) Known.Clear();
        Known[stamp] = fields;
    }
}
