using Catalog.Api.Hosting;
using Catalog.Domain.Productions;
using Catalog.Projections.Views;
using Marten;

namespace Catalog.Api.Productions;

/// <summary>The shape every command on an existing production shares: load, decide, append, answer with the view.</summary>
internal static class ProductionCommand
{
    public static async Task<ProductionView> Run(
        IDocumentSession session, string productionId, long? expectedVersion, CancellationToken ct,
        Func<Production?, object> decide)
    {
        var stream = await Streams.Production(session, productionId, expectedVersion, ct);
        stream.AppendOne(decide(stream.Aggregate));
        await session.SaveChangesAsync(ct);

        var view = await session.LoadAsync<ProductionView>(productionId, ct);
        return view!;
    }
}
