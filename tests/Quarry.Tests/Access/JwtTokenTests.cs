namespace Quarry.Tests.Access;

/// <summary>
/// Tokens are JWTs that Qualytics clients can decode (they read <c>exp</c> without verifying the signature), yet the
/// server trusts only the store: a deleted or expired token stops working at once, whatever its claims say.
/// The tests share one server per store: each works on a user of its own.
/// </summary>
public sealed class JwtTokenTests(ServerPerStore servers) : IClassFixture<ServerPerStore>
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ATokenIsAJwtNamingItsUserAndItsExpiry(StoreKind kind)
    {
        var server = await servers.For(kind);
        var (userId, _) = await server.CreateUserAsync("ana-claims", Role.Member);

        var forever = await server.Admin.CreateAsync($"/api/users/{userId}/tokens", new { name = "laptop" });
        var claims = Payload(forever.GetProperty("token").GetString()!);
        Assert.Equal(userId.ToString(System.Globalization.CultureInfo.InvariantCulture), claims.GetProperty("sub").GetString());
        Assert.True(Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - claims.GetProperty("iat").GetInt64()) < 3600);
        Assert.False(string.IsNullOrEmpty(claims.GetProperty("jti").GetString()));
        Assert.False(claims.TryGetProperty("exp", out _));
        Assert.Equal(JsonValueKind.Null, forever.GetProperty("expires").ValueKind);

        var monthly = await server.Admin.CreateAsync($"/api/users/{userId}/tokens", new { name = "ci", expires_in = "30d" });
        var exp = DateTimeOffset.FromUnixTimeSeconds(Payload(monthly.GetProperty("token").GetString()!).GetProperty("exp").GetInt64());
        Assert.True((exp - DateTimeOffset.UtcNow.AddDays(30)).Duration() < TimeSpan.FromHours(1), exp.ToString("u"));
        Assert.Equal(exp.UtcDateTime, monthly.GetProperty("expires").GetDateTime().ToUniversalTime(), TimeSpan.FromSeconds(1));
        Assert.Equal("ana-claims", (await server.Client(monthly.GetProperty("token").GetString()).ReadAsync("/api/me")).GetProperty("name").GetString());
        var listed = (await server.Client(monthly.GetProperty("token").GetString()).ReadAsync("/api/tokens")).GetProperty("items");
        Assert.Equal(JsonValueKind.String, listed.EnumerateArray().Single(t => t.GetProperty("name").GetString() == "ci").GetProperty("expires").ValueKind);

        var bad = await server.Admin.ExpectProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, $"/api/users/{userId}/tokens", new { name = "x", expires_in = "30 days" });
        Assert.Contains("expires_in", bad.GetProperty("detail").GetString());
        Assert.Contains("30d", bad.GetProperty("detail").GetString());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task TheStoreDecidesNotTheClaims(StoreKind kind)
    {
        var server = await servers.For(kind);
        var (userId, token) = await server.CreateUserAsync("ana-store", Role.Member);
        var ana = server.Client(token);
        await ana.ReadAsync("/api/me");

        // A token whose time has come is refused at once, and says why.
        await UpdateTokensAsync(server, userId, DateTime.UtcNow.AddMinutes(-1));
        var expired = await ana.ExpectProblemAsync(HttpStatusCode.Unauthorized, HttpMethod.Get, "/api/me");
        Assert.Contains("expired", expired.GetProperty("detail").GetString());

        // A token with a forged, far-away `exp` (same signature) is just another unknown token.
        var parts = token.Split('.');
        var forged = parts[0] + "." + Base64Url(Encoding.UTF8.GetBytes($$"""{"sub":"{{userId}}","exp":4102444800}""")) + "." + parts[2];
        await server.Client(forged).ExpectProblemAsync(HttpStatusCode.Unauthorized, HttpMethod.Get, "/api/me");

        // Deleting a token revokes it on the next request.
        await UpdateTokensAsync(server, userId, null);
        await ana.ReadAsync("/api/me");
        var id = (await ana.ReadAsync("/api/tokens")).GetProperty("items")[0].GetProperty("id").GetInt32();
        await ana.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/tokens/{id}");
        await ana.ExpectProblemAsync(HttpStatusCode.Unauthorized, HttpMethod.Get, "/api/me");
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ATokenIssuedBeforeTokensWereJwtsKeepsWorking(StoreKind kind)
    {
        var server = await servers.For(kind);
        var (userId, _) = await server.CreateUserAsync("ana-legacy", Role.Member);
        const string legacy = "qry_5mZ0bq2n3ZbXkqfA1Jc8yQ3xP0o9s7T6uVwXyZaBcDe";
        using (var scope = server.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<QuarryDb>();
            db.ApiTokens.Add(new ApiToken { UserId = userId, Name = "old", TokenHash = Tokens.Hash(legacy), CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        Assert.Equal("ana-legacy", (await server.Client(legacy).ReadAsync("/api/me")).GetProperty("name").GetString());
    }

    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task ATokenValueLeavesTheServerOnlyInTheResponseThatIssuesIt(StoreKind kind)
    {
        var server = await servers.For(kind);
        var (userId, _) = await server.CreateUserAsync("ana-issued", Role.Member);
        var issued = await server.Admin.CreateAsync($"/api/users/{userId}/tokens", new { name = "ci", expires_in = "12h" });
        var token = issued.GetProperty("token").GetString()!;
        var ana = server.Client(token);
        var seen = new StringBuilder();
        foreach (var path in new[] { "/api/me", "/api/tokens", $"/api/users/{userId}", "/api/users" })
            seen.Append((await (path.StartsWith("/api/me", StringComparison.Ordinal) || path == "/api/tokens" ? ana : server.Admin).ReadAsync(path)).ToString());
        await server.Client(token + "x").ExpectProblemAsync(HttpStatusCode.Unauthorized, HttpMethod.Get, "/api/me");
        // While the token works, the store holds its hash and nothing more of it.
        var store = Encoding.UTF8.GetString(await server.ReadStoreBytesAsync());
        Assert.Contains(Tokens.Hash(token), store);
        await ana.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/tokens/{issued.GetProperty("id").GetInt32()}");
        seen.Append((await ana.ExpectProblemAsync(HttpStatusCode.Unauthorized, HttpMethod.Get, "/api/me")).ToString());

        // Neither the whole token nor its secret part (the signature) is anywhere but in the response that issued it.
        var signature = token.Split('.')[2];
        store += Encoding.UTF8.GetString(await server.ReadStoreBytesAsync());
        foreach (var place in new[] { seen.ToString(), server.Logs.All, store })
        {
            Assert.DoesNotContain(token, place);
            Assert.DoesNotContain(signature, place);
        }
    }

    private static JsonElement Payload(string token)
    {
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        var header = JsonDocument.Parse(FromBase64Url(parts[0])).RootElement;
        Assert.Equal("JWT", header.GetProperty("typ").GetString());
        return JsonDocument.Parse(FromBase64Url(parts[1])).RootElement;
    }

    private static async Task UpdateTokensAsync(QuarryTestServer server, int userId, DateTime? expiresAt)
    {
        using var scope = server.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<QuarryDb>().ApiTokens.Where(t => t.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, expiresAt));
    }

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
