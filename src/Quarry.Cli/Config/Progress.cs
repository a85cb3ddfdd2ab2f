namespace Quarry.Cli.Config;

/// <summary>A spinner with a status line on stderr while long steps run, only when stderr's reader is a person at a terminal.</summary>
internal static class Progress
{
    public static async Task<T> RunAsync<T>(CliContext context, string text, Func<Action<string>, Task<T>> work)
    {
        if (!context.IsTerminal) return await work(_ => { });
        var count = 0;
        return await context.Err.Status().StartAsync(text, status => work(path =>
        {
            if (++count % 50 == 0) status.Status($"{text} {count} ({Path.GetFileName(Path.GetDirectoryName(path))}/{Path.GetFileName(path)})".EscapeMarkup());
        }));
    }
}
