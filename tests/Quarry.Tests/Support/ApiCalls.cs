namespace Quarry.Tests.Support;

/// <summary>Short HTTP calls for API tests: send, check the status, read the body as JSON.</summary>
public static class ApiCalls
{
    public static async Task<(HttpStatusCode Status, JsonElement Body, string ContentType)> SendAsync(
        this HttpClient client, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is string raw) request.Content = new StringContent(raw, Encoding.UTF8, "application/json");
        else if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: QuarryTestServer.Json);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, json, response.Content.Headers.ContentType?.MediaType ?? "");
    }

    /// <summary>Sends and asserts the status; returns the JSON body.</summary>
    public static async Task<JsonElement> ExpectAsync(this HttpClient client, HttpStatusCode expected, HttpMethod method, string path, object? body = null)
    {
        var (status, json, _) = await client.SendAsync(method, path, body);
        Assert.True(status == expected, $"{method} {path}: expected {(int)expected}, got {(int)status}: {json}");
        return json;
    }

    /// <summary>Sends, asserts an RFC 9457 problem with <paramref name="expected"/> status and a non-empty detail; returns the problem.</summary>
    public static async Task<JsonElement> ExpectProblemAsync(this HttpClient client, HttpStatusCode expected, HttpMethod method, string path, object? body = null)
    {
        var (status, json, contentType) = await client.SendAsync(method, path, body);
        Assert.True(status == expected, $"{method} {path}: expected {(int)expected}, got {(int)status}: {json}");
        Assert.Equal("application/problem+json", contentType);
        Assert.Equal((int)expected, json.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("detail").GetString()), $"problem without a detail: {json}");
        return json;
    }

    public static Task<JsonElement> ReadAsync(this HttpClient client, string path) => client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, path);

    public static Task<JsonElement> CreateAsync(this HttpClient client, string path, object body) =>
        client.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, path, body);

    public static async Task<int> CreateIdAsync(this HttpClient client, string path, object body) =>
        (await client.CreateAsync(path, body)).GetProperty("id").GetInt32();

    public static Task<int> CreateConnectionAsync(this HttpClient client, string name, string type = "postgresql") =>
        client.CreateIdAsync("/api/connections", type == "sqlite"
            ? new { name, type, path = "/tmp/does-not-matter.db" }
            : new { name, type, host = "db.example.com", port = 5432, username = "reader", password = "pw-" + name, database = "analytics" });

    public static Task<int> CreateDatastoreAsync(this HttpClient client, string name, int connectionId, string[]? teams = null, string[]? tags = null, bool enrichmentOnly = false) =>
        client.CreateIdAsync("/api/datastores", new
        {
            name,
            connection_id = connectionId,
            database = "analytics",
            schema = "public",
            teams = teams ?? [],
            tags = tags ?? [],
            enrichment_only = enrichmentOnly,
        });

    public static string[] Names(this JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!).ToArray();
}
