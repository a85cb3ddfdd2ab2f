using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Quarry.Server.Access;

/// <summary>Authenticates <c>Authorization: Bearer &lt;token&gt;</c> by the token's hash.</summary>
internal sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    QuarryDb db) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    public const string UserIdClaim = "quarry:user_id";
    private static readonly TimeSpan LastUsedPrecision = TimeSpan.FromMinutes(1);
    private DateTime? _expiredAt;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <token>'.");

        var hash = Tokens.Hash(header["Bearer ".Length..].Trim());
        var found = await db.ApiTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash)
            .Select(t => new { t.Id, t.UserId, t.User!.Name, t.User.Role, t.LastUsedAt, t.ExpiresAt })
            .FirstOrDefaultAsync(Context.RequestAborted);
        if (found is null) return AuthenticateResult.Fail("The token is not valid.");
        var now = DateTime.UtcNow;
        // The store decides, not the token's `exp` claim: nothing about a token is trusted but its hash.
        if (found.ExpiresAt is DateTime expires && expires <= now)
        {
            _expiredAt = expires;
            return AuthenticateResult.Fail("The token has expired.");
        }
        // last_used to the minute: a write per request would cost every request a store write.
        // A SQLite store locked past its busy timeout by one long write (a big sync's catalog) skips this minute's
        // mark rather than fail a request that only reads.
        if (found.LastUsedAt is null || found.LastUsedAt < now - LastUsedPrecision)
        {
            try
            {
                await db.ApiTokens.Where(t => t.Id == found.Id && (t.LastUsedAt == null || t.LastUsedAt < now - LastUsedPrecision))
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), Context.RequestAborted);
            }
            catch (Exception e) when (StoreFailures.IsBusy(e))
            {
                Logger.LogDebug("Token {TokenId}: last use not recorded, the store is busy with another write", found.Id);
            }
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(UserIdClaim, found.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, found.Name),
                new Claim(ClaimTypes.Role, found.Role.ToString()),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = "Bearer";
        var problems = Context.RequestServices.GetService(typeof(IProblemDetailsService)) as IProblemDetailsService;
        var detail = string.IsNullOrEmpty(Request.Headers.Authorization)
            ? "Send a token as 'Authorization: Bearer <token>'. An admin creates one with 'quarry users token USER --name NAME' (or POST /api/users/{id}/tokens); 'quarry auth init' saves it for the CLI."
            : _expiredAt is DateTime expired
                ? $"The token expired at {expired:u}; create a new one with 'quarry users token USER --name NAME'."
                : "The token is not valid. It may have been deleted; ask an admin for a new one.";
        await problems!.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails { Status = 401, Title = "Unauthorized", Detail = detail },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 403;
        var problems = Context.RequestServices.GetService(typeof(IProblemDetailsService)) as IProblemDetailsService;
        var role = Context.User.FindFirstValue(ClaimTypes.Role);
        var needed = Context.GetEndpoint()?.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>()
            .LastOrDefault(a => a.Policy is not null)?.Policy;
        await problems!.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = 403,
                Title = "Forbidden",
                Detail = $"This needs the {needed ?? "a higher"} role; your role is {role}. Use a token of a user with that role.",
            },
        });
    }
}
