using Catalog.Projections;
using Marten;

namespace Catalog.Application;

/// <summary>
/// Who runs a command, under which correlation id, and why: every event the command appends records them (Marten's
/// user name and correlation id, and the reason as a header). The API makes one from the request, the CLI and the
/// imports from the OS user.
/// </summary>
/// <param name="CorrelationId">Ties the events of one request or one import run together; made when absent.</param>
/// <param name="Reason">Why (the API's <c>X-Reason</c>, an import's source).</param>
/// <param name="Via">The API key that acted for <paramref name="Actor"/> (a key allowed to name who it acts for), recorded beside it.</param>
public sealed record Caller(string Actor, string? CorrelationId = null, string? Reason = null, string? Via = null)
{
    /// <summary>The operator at this machine's command line.</summary>
    public static Caller Operator(string? reason = null, string? correlationId = null) => new(Environment.UserName, correlationId, reason);

    /// <summary>Marks the session so every event it appends carries who, which request and why.</summary>
    public IDocumentSession Stamp(IDocumentSession session)
    {
        session.LastModifiedBy = Actor;
        if (CorrelationId is not null) session.CorrelationId = CorrelationId;
        if (Reason is not null) session.SetHeader(CatalogStore.ReasonHeader, Reason);
        if (Via is not null) session.SetHeader(CatalogStore.ViaHeader, Via);
        return session;
    }
}
