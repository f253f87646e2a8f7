using Catalog.Application;
using Marten;

namespace Catalog.Api.Http;

/// <summary>
/// Who sends a request, why, and under which correlation id — the one place the HTTP edge decides the
/// <see cref="Caller"/> every command records: today the <c>X-Actor</c> header ("anonymous" when absent); an
/// authenticated identity replaces it here. The correlation id (<c>X-Correlation-Id</c>, made when absent) is echoed
/// in every response.
/// </summary>
public static class Callers
{
    public const string ActorHeader = "X-Actor";
    public const string CorrelationHeader = "X-Correlation-Id";
    public const string ReasonHeader = "X-Reason";
    public const string Anonymous = "anonymous";
    private const int MaxLength = 200;
    private const int MaxReasonLength = 1000;

    /// <summary>The request's caller (read once, then kept on the request).</summary>
    public static Caller Of(HttpContext context)
    {
        if (context.Items[typeof(Caller)] is Caller known) return known;
        var caller = new Caller(
            Clean(context.Request.Headers[ActorHeader].ToString()) ?? Anonymous,
            Clean(context.Request.Headers[CorrelationHeader].ToString()) ?? Guid.NewGuid().ToString("N"),
            Clean(context.Request.Headers[ReasonHeader].ToString(), MaxReasonLength));
        context.Items[typeof(Caller)] = caller;
        return caller;
    }

    /// <summary>Echoes the request's correlation id in every response.</summary>
    public static IApplicationBuilder UseCorrelationIds(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.Headers[CorrelationHeader] = Of(context).CorrelationId;
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
