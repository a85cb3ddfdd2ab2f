using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Quarry.Cli.Client;

/// <summary>A failed API call, carrying the problem details the server sent.</summary>
public sealed class ApiException(HttpStatusCode status, string title, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
    : Exception($"{title}: {detail}")
{
    public HttpStatusCode Status { get; } = status;
    public string Title { get; } = title;
    public string Detail { get; } = detail;
    public IReadOnlyDictionary<string, string[]>? Errors { get; } = errors;
}

/// <summary>Thrown when the CLI has no server or token to talk to.</summary>
public sealed class NotConfiguredException(string message) : Exception(message);

/// <summary>The CLI's client for the Quarry REST API.</summary>
public sealed class QuarryClient : IDisposable
{
    public static readonly JsonSerializerOptions Json = CreateJson();
    private readonly HttpClient _http;

    public QuarryClient(string url, string? token, HttpMessageHandler? handler = null)
    {
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.BaseAddress = new Uri(url.TrimEnd('/') + "/");
        _http.Timeout = TimeSpan.FromMinutes(10);
        if (token is not null) _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>A client for the configured server; throws <see cref="NotConfiguredException"/> when there is none.</summary>
    public static QuarryClient FromSettings(CliContext context)
    {
        var settings = ClientSettings.Resolve(context);
        if (settings.Url is null || settings.Token is null)
            throw new NotConfiguredException("No server configured. Run 'quarry auth init --url URL --token TOKEN', or set QUARRY_URL and QUARRY_TOKEN.");
        return new QuarryClient(settings.Url, settings.Token, context.HttpHandler);
    }

    public Task<T> GetAsync<T>(string path, CancellationToken ct) => SendAsync<T>(HttpMethod.Get, path, null, ct);

    public Task<T> PostAsync<T>(string path, object? body, CancellationToken ct) => SendAsync<T>(HttpMethod.Post, path, body, ct);

    public Task<T> PutAsync<T>(string path, object? body, CancellationToken ct) => SendAsync<T>(HttpMethod.Put, path, body, ct);

    public Task<T> PatchAsync<T>(string path, object? body, CancellationToken ct) => SendAsync<T>(HttpMethod.Patch, path, body, ct);

    public async Task DeleteAsync(string path, CancellationToken ct)
    {
        using var response = await _http.DeleteAsync(path.TrimStart('/'), ct);
        await EnsureSuccessAsync(response, ct);
    }

    /// <summary>A DELETE whose body says what to delete (bulk deletes), answered with no content.</summary>
    public async Task DeleteAsync(string path, object body, CancellationToken ct)
    {
        using var response = await SendRawAsync(HttpMethod.Delete, path, body, ct);
        await EnsureSuccessAsync(response, ct);
    }

    /// <summary>Reads every page of a list endpoint.</summary>
    public async Task<List<T>> GetAllAsync<T>(string path, CancellationToken ct)
    {
        var all = new List<T>();
        var separator = path.Contains('?') ? '&' : '?';
        for (var page = 1; ; page++)
        {
            var result = await GetAsync<Page<T>>($"{path}{separator}page={page}&size={PageQuery.MaxSize}", ct);
            all.AddRange(result.Items);
            if (all.Count >= result.Total || result.Items.Count == 0) return all;
        }
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var response = await SendRawAsync(method, path, body, ct);
        await EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<T>(Json, ct))!;
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null) request.Content = Content(path, body);
        try
        {
            return await _http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new ApiException(0, "Server unreachable", $"Could not reach {_http.BaseAddress}: {e.Message}. Is 'quarry serve' running there?");
        }
    }

    /// <summary>
    /// The body as JSON, refused here when it is larger than the server takes: the server would cut the upload off
    /// part way, which reaches the CLI as a dropped connection ("Server unreachable") rather than as the limit.
    /// </summary>
    private static ByteArrayContent Content(string path, object body)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), Json);
        var limit = path.TrimStart('/').StartsWith("api/config/", StringComparison.Ordinal) ? InputLimits.ConfigBodyBytes : InputLimits.BodyBytes;
        if (bytes.Length > limit)
            throw new ApiException(HttpStatusCode.RequestEntityTooLarge, "Request too large",
                $"The request to {path} would be {InputLimits.Bytes(bytes.Length)}; the server takes at most {InputLimits.Bytes(limit)}. Nothing was sent. "
                + "Import the config in parts (--input one datastore's folder, or --include), or make its values smaller.");
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            var problem = JsonSerializer.Deserialize<ProblemBody>(text, Json);
            if (problem?.Title is not null)
                throw new ApiException(response.StatusCode, problem.Title, problem.Detail ?? "", problem.Errors);
        }
        catch (JsonException) { }
        throw new ApiException(response.StatusCode, response.ReasonPhrase ?? "Error", text.Length > 500 ? text[..500] : text);
    }

    internal sealed record ProblemBody(string? Title, string? Detail, int? Status, Dictionary<string, string[]>? Errors);

    private static JsonSerializerOptions CreateJson()
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = CliJsonContext.CreateResolver() };
        QuarryJson.Configure(json);
        return json;
    }

    public void Dispose() => _http.Dispose();
}
