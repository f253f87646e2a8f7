using System.Security.Claims;
using System.Text.Encodings.Web;
using Catalog.Infrastructure.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Catalog.Api.Access;

/// <summary>
/// The API's authentication scheme: a key in <c>Authorization: Bearer …</c> or <c>X-Api-Key: …</c>, checked against the
/// key store (<see cref="ApiKeyStore"/>, hashes only). No key is no identity (anonymous); a key that is unknown or revoked
/// is a failure, answered 401 whatever the endpoint. The key itself is never logged or kept.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys, LocalOperator localOperator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string KeyHeader = "X-Api-Key";
    public const string ActsForOthersClaim = "catalog:acts_for_others";
    public const string OperatorClaim = "catalog:operator";
    public const string UnknownKey = "The key is unknown or revoked.";
    private static readonly object BadKey = new();

    /// <summary>Whether the request carried a key that is unknown or revoked.</summary>
    public static bool PresentedABadKey(HttpContext context) => context.Items.ContainsKey(BadKey);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Presented(Request) is not { } presented) return Task.FromResult(AuthenticateResult.NoResult());
        if (localOperator.Matches(presented)) return Task.FromResult(Success(LocalOperator.Name, ApiKeyRole.Admin, actsForOthers: true, isOperator: true));
        if (keys.Authenticate(presented) is not { } key)
        {
            Context.Items[BadKey] = true; // refused everywhere, even where no key is needed: the caller should know
            return Task.FromResult(AuthenticateResult.Fail(UnknownKey));
        }

        return Task.FromResult(Success(key.Name, key.Role, key.ActsForOthers, isOperator: false));
    }

    private static AuthenticateResult Success(string name, ApiKeyRole role, bool actsForOthers, bool isOperator)
    {
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, name),
            new Claim(ClaimTypes.Role, RoleName(role)),
            new Claim(ActsForOthersClaim, actsForOthers ? "true" : "false"),
            new Claim(OperatorClaim, isOperator ? "true" : "false"),
        ], SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>The key the request carries, if any: <c>Authorization: Bearer KEY</c>, else <c>X-Api-Key: KEY</c>.</summary>
    public static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization[7..].Trim() is { Length: > 0 } bearer)
            return bearer;
        return request.Headers[KeyHeader].ToString().Trim() is { Length: > 0 } key ? key : null;
    }

    public static string RoleName(ApiKeyRole role) => role.ToString().ToLowerInvariant();

    /// <summary>The role of an authenticated caller, or null.</summary>
    public static ApiKeyRole? RoleOf(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.FindFirstValue(ClaimTypes.Role) is { } role ? ApiKeyStore.ParseRole(role) : null;
}
