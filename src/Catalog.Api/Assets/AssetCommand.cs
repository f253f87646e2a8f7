using Catalog.Api.Hosting;
using Catalog.Domain.Assets;
using Marten;

namespace Catalog.Api.Assets;

/// <summary>The shape every command on an existing asset shares: load, decide, append, answer with the view.</summary>
internal static class AssetCommand
{
    public static async Task<object> Run<TMetadata>(
        IDocumentSession session, string id, long? expectedVersion, CancellationToken ct,
        Func<Asset<TMetadata>?, long, Task<object>> decide)
        where TMetadata : IAssetMetadata
    {
        var assetId = AssetRoute.Id<TMetadata>(id);
        var stream = await Streams.Asset<TMetadata>(session, assetId, expectedVersion, ct);
        stream.AppendOne(await decide(stream.Aggregate, assetId));
        await session.SaveChangesAsync(ct);
        return (await AssetResponses.LoadAsync<TMetadata>(session, assetId, ct))!;
    }
}

/// <summary>Asset ids in routes are the seed's integers; anything else is a 400, not a 404.</summary>
public static class AssetRoute
{
    public static long Id<TMetadata>(string raw) where TMetadata : IAssetMetadata =>
        long.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw ApiProblem.BadRequest($"'{raw}' is not the id of {TMetadata.Kind.WithArticle()}: ids are positive integers.");
}
