using Marten;

namespace Catalog.Api.Hosting;

/// <summary>
/// Who sends a command and under which correlation id. The one place that decides the actor: today the
/// <c>X-Actor</c> header ("anonymous" when absent); an authenticated identity replaces it here later.
/// </summary>
public sealed record Caller(string Actor, string CorrelationId)
{
    public const string ActorHeader = "X-Actor";
    public const string CorrelationHeader = "X-Correlation-Id";
    public const string Anonymous = "anonymous";
    private const int MaxLength = 200;

    public static Caller From(HttpContext context)
    {
        var actor = Clean(context.Request.Headers[ActorHeader].ToString()) ?? Anonymous;
        var correlation = Clean(context.Request.Headers[CorrelationHeader].ToString()) ?? Guid.NewGuid().ToString("N");
        return new Caller(actor, correlation);
    }

    private static string? Clean(string value)
    {
        value = value.Trim();
        if (value.Length == 0) return null;
        return value.Length > MaxLength ? value[..MaxLength] : value;
    }
}

/// <summary>
/// Wolverine middleware for every endpoint that takes a <see cref="Caller"/>: it reads the caller, stamps
/// the session (every event then carries the actor as its user name and the correlation id) and echoes the
/// correlation id in the response.
/// </summary>
public static class CallerMiddleware
{
    public static Caller Before(HttpContext context, IDocumentSession session)
    {
        var caller = Caller.From(context);
        session.LastModifiedBy = caller.Actor;
        session.CorrelationId = caller.CorrelationId;
        context.Response.Headers[Caller.CorrelationHeader] = caller.CorrelationId;
        return caller;
    }
}
