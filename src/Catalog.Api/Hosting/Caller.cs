using Catalog.Projections;
using Marten;

namespace Catalog.Api.Hosting;

/// <summary>
/// Who sends a command, why, and under which correlation id. The one place that decides the actor: today the
/// <c>X-Actor</c> header ("anonymous" when absent); an authenticated identity replaces it here later.
/// </summary>
/// <param name="Reason">Why, from the <c>X-Reason</c> header: recorded with every event of the command.</param>
public sealed record Caller(string Actor, string CorrelationId, string? Reason = null)
{
    public const string ActorHeader = "X-Actor";
    public const string CorrelationHeader = "X-Correlation-Id";
    public const string ReasonHeader = "X-Reason";
    public const string Anonymous = "anonymous";
    private const int MaxLength = 200;
    private const int MaxReasonLength = 1000;

    public static Caller From(HttpContext context)
    {
        var actor = Clean(context.Request.Headers[ActorHeader].ToString()) ?? Anonymous;
        var correlation = Clean(context.Request.Headers[CorrelationHeader].ToString()) ?? Guid.NewGuid().ToString("N");
        var reason = Clean(context.Request.Headers[ReasonHeader].ToString(), MaxReasonLength);
        return new Caller(actor, correlation, reason);
    }

    private static string? Clean(string value, int maxLength = MaxLength)
    {
        value = value.Trim();
        if (value.Length == 0) return null;
        return value.Length > maxLength ? value[..maxLength] : value;
    }
}

/// <summary>
/// Wolverine middleware for every endpoint that takes a <see cref="Caller"/>: it reads the caller, stamps
/// the session (every event then carries the actor as its user name, the correlation id, and the reason as
/// a header) and echoes the correlation id in the response.
/// </summary>
public static class CallerMiddleware
{
    public static Caller Before(HttpContext context, IDocumentSession session)
    {
        var caller = Caller.From(context);
        session.LastModifiedBy = caller.Actor;
        session.CorrelationId = caller.CorrelationId;
        if (caller.Reason is { } reason) session.SetHeader(CatalogStore.ReasonHeader, reason);
        context.Response.Headers[Caller.CorrelationHeader] = caller.CorrelationId;
        return caller;
    }
}
