using System.Diagnostics;

namespace Quarry.Tests.Support;

/// <summary>
/// A small tmpfs mounted on a temp folder, for what a real disk does when it is full or read-only. Tests run as root,
/// who ignores file modes, so a read-only mount is the honest way to make a folder unwritable.
/// </summary>
public sealed class TempMount : IDisposable
{
    private TempMount(string path) => Path = path;

    public string Path { get; }

    public static TempMount Tmpfs(int sizeKb)
    {
        var path = Directory.CreateTempSubdirectory("quarry-mount-").FullName;
        Run("mount", "-t", "tmpfs", "-o", $"size={sizeKb}k,mode=0700", "tmpfs", path);
        return new TempMount(path);
    }

    public void MakeReadOnly() => Run("mount", "-o", "remount,ro", Path);

    /// <summary>Writes zeros to a file in the mount until the disk is full; deleting the file frees the space again.</summary>
    public string Fill()
    {
        var filler = System.IO.Path.Combine(Path, "filler");
        using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        var block = new byte[4096];
        try
        {
            while (true) stream.Write(block);
        }
        catch (IOException)
        {
            // No space left on device: what the test wants.
        }
        return filler;
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        Directory.Delete(Path);
    }

    private static void Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {error}");
    }
}
