using Catalog.Application;
using Marten;

namespace Catalog.Api.Http;

/// <summary>
/// Who sends a request, why, and under which correlation id — the one place the HTTP edge decides the
/// <see cref="Caller"/> every command records. The actor is the API key's name (<see cref="Access.ApiKeyAuthentication"/>);
/// <c>X-Actor</c> names someone else only with a key allowed to act for others, and the key is then recorded beside it
/// (<see cref="Caller.Via"/>); from any other key a different <c>X-Actor</c> is a 403. The correlation id
/// (<c>X-Correlation-Id</c>, made when absent) is echoed in every response.
/// </summary>
public static class Callers
{
    public const string ActorHeader = "X-Actor";
    public const string CorrelationHeader = "X-Correlation-Id";
    public const string ReasonHeader = "X-Reason";
    public const string Anonymous = "anonymous";
    private const int MaxLength = 200;
    private const int MaxReasonLength = 1000;
    private static readonly object CorrelationKey = new();

    // Ids made here: 16 hex digits drawn at start, then a count (32 hex digits in all, as a GUID's "N" form) — unique per
    // process start without asking the kernel for random bytes per request, as Guid.NewGuid does.
    private static readonly string MadePrefix = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
    private static long _made;

    /// <summary>The request's caller (read once authenticated, then kept on the request).</summary>
    public static Caller Of(HttpContext context)
    {
        if (context.Items[typeof(Caller)] is Caller known) return known;
        var key = context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name : null;
        var named = Clean(context.Request.Headers[ActorHeader].ToString());
        var (actor, via) = (key, named) switch
        {
            (null, _) => (Anonymous, (string?)null),
            (_, null) => (key, null),
            _ when named == key => (key, null),
            _ when context.User.HasClaim(Access.ApiKeyAuthentication.ActsForOthersClaim, "true") => (named, key),
            _ => throw ApiProblem.Forbidden(
                $"The key '{key}' may not act for others: leave {ActorHeader} out (the key's name is recorded), or use a key made with --acts-for-others."),
        };
        var caller = new Caller(actor, CorrelationId(context), Clean(context.Request.Headers[ReasonHeader].ToString(), MaxReasonLength), via);
        context.Items[typeof(Caller)] = caller;
        return caller;
    }

    /// <summary>The request's correlation id: its <c>X-Correlation-Id</c>, or one made for it.</summary>
    public static string CorrelationId(HttpContext context)
    {
        if (context.Items[CorrelationKey] is string known) return known;
        var id = Clean(context.Request.Headers[CorrelationHeader].ToString()) ?? MadePrefix + Interlocked.Increment(ref _made).ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
        context.Items[CorrelationKey] = id;
        return id;
    }

    /// <summary>Echoes the request's correlation id in every response.</summary>
    public static IApplicationBuilder UseCorrelationIds(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.Headers[CorrelationHeader] = CorrelationId(context);
        return next(context);
    });

    private static string? Clean(string value, int maxLength = MaxLength)
    {
        value = value.Trim();
        if (value.Length == 0) return null;
        return value.Length > maxLength ? value[..maxLength] : value;
    }
}

/// <summary>What every command endpoint needs, bound in one parameter (<c>[AsParameters]</c>): the session, the request, the clock.</summary>
public readonly record struct CommandServices(IDocumentSession Session, HttpContext Http, TimeProvider Clock, CancellationToken Ct)
{
    public Caller Caller => Callers.Of(Http);
}
