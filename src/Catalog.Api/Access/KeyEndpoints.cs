using System.Text.Json.Serialization;
using Catalog.Api.Http;
using Catalog.Domain;
using Catalog.Infrastructure.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Catalog.Api.Access;

/// <summary>A key as the API shows it: never the key or its hash.</summary>
public sealed record ApiKeyInfo(
    string Name, string Role, bool ActsForOthers, DateTimeOffset CreatedAt, string CreatedBy, string Source, DateTimeOffset? RevokedAt,
    string? RevokedBy)
{
    public static ApiKeyInfo Of(ApiKey key) => new(key.Name, ApiKeyAuthentication.RoleName(key.Role), key.ActsForOthers, key.CreatedAt,
        key.CreatedBy, key.Source, key.RevokedAt, key.RevokedBy);
}

/// <param name="Name">1–64 letters, digits, '.', '_', '@' or '-'; recorded as the actor of what the key does.</param>
/// <param name="Role">read, write or admin.</param>
/// <param name="ActsForOthers">The key may name the actor in X-Actor (its own name is recorded beside it).</param>
public sealed record CreateKeyRequest(string Name, string Role, bool ActsForOthers = false);

/// <summary>A key just made: <c>key</c> is shown this once; only its SHA-256 is kept.</summary>
public sealed record CreatedKey(
    string Name, string Role, bool ActsForOthers, [property: JsonPropertyName("key")] string Key, DateTimeOffset CreatedAt);

/// <summary>The keys, for admins: list, make (the key answered once), revoke (refused from the next request on).</summary>
public static class KeyEndpoints
{
    public static IReadOnlyList<ApiKeyInfo> List(ApiKeyStore keys) => keys.List().Select(ApiKeyInfo.Of).ToList();

    public static Created<CreatedKey> Post(CreateKeyRequest request, ApiKeyStore keys, HttpContext http)
    {
        var (key, secret) = Refusing(() => keys.Add(request.Name?.Trim() ?? "", ApiKeyStore.ParseRole(request.Role ?? ""), request.ActsForOthers,
            Callers.Of(http).Actor, "api"));
        return TypedResults.Created("/api/keys",
            new CreatedKey(key.Name, ApiKeyAuthentication.RoleName(key.Role), key.ActsForOthers, secret, key.CreatedAt));
    }

    public static ApiKeyInfo Revoke(string name, ApiKeyStore keys, HttpContext http) =>
        ApiKeyInfo.Of(Refusing(() => keys.Revoke(name, Callers.Of(http).Actor)));

    private static T Refusing<T>(Func<T> change)
    {
        try
        {
            return change();
        }
        catch (ApiKeyException e)
        {
            throw e.Problem switch
            {
                ApiKeyProblem.Exists => DomainException.Conflict(e.Message),
                ApiKeyProblem.Missing => DomainException.NotFound(e.Message),
                _ => ApiProblem.BadRequest(e.Message),
            };
        }
    }
}
