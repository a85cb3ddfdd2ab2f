using System.Reflection;

namespace Quarry.Server.Web;

/// <summary>
/// Serves the web UI: a static single page embedded in the server assembly. It holds no data and no
/// secrets of its own; it calls the REST API with the signed-in user's token, so the API's access rules apply.
/// </summary>
public static class WebUi
{
    private static readonly Dictionary<string, (byte[] Bytes, string ContentType)> Files = Load();

    public static void MapWebUi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Serve("index.html")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/ui/{file}", (string file) => Serve(file)).AllowAnonymous().ExcludeFromDescription();
    }

    private static IResult Serve(string file) =>
        Files.TryGetValue(file, out var content)
            ? Results.Bytes(content.Bytes, content.ContentType)
            : Results.NotFound();

    private static Dictionary<string, (byte[], string)> Load()
    {
        var assembly = typeof(WebUi).Assembly;
        const string prefix = "Quarry.Server.Web.wwwroot.";
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var name = resource[prefix.Length..];
            files[name] = (memory.ToArray(), ContentType(name));
        }
        return files;
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
