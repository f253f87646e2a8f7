using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Infrastructure.Blobs;
using Catalog.Projections.Queries;
using Catalog.Projections.Views;
using Marten;

namespace Catalog.Api.Browsing;

/// <summary>
/// The catalog's own browsing: its views in PostgreSQL (<see cref="ListPages"/>, <see cref="CatalogSearch"/>, …), the past
/// rebuilt from its events, bytes from its blob store. A Marten session is opened only by what loads documents (details,
/// the past): lists, search and media read on the query side's own connections.
/// </summary>
public sealed class CatalogGallery(IDocumentStore store, CatalogReads reads, StatsCache stats, IBlobStore blobs, ExactReadCache cache) : IGallery
{
    public Task<string> AssetPageAsync<TMetadata>(string? type, string? productionId, int limit, int offset, CancellationToken ct) where TMetadata : IAssetMetadata =>
        PageAsync(new ViewSelection(QuerySchema.Tables.Assets(TMetadata.Kind), QuerySchema.Columns.Type, type, productionId), limit, offset, ct);

    public Task<string> ProductionPageAsync(string? status, int limit, int offset, CancellationToken ct) =>
        PageAsync(new ViewSelection(QuerySchema.Tables.Productions, QuerySchema.Columns.Status, status, ProductionId: null), limit, offset, ct);

    private Task<string> PageAsync(ViewSelection selection, int limit, int offset, CancellationToken ct) =>
        cache.GetAsync(new PageKey(selection, limit, offset), token => ListPages.ReadJsonAsync(reads, selection, limit, offset, token), json => 2L * json.Length, ct);

    public async Task<IResult> AssetAsync<TMetadata>(long id, DateTimeOffset? asOf, long? version, CancellationToken ct) where TMetadata : IAssetMetadata
    {
        await using var session = store.QuerySession();
        return TypedResults.Ok(asOf is not null || version is not null
            ? await PastViews.AssetAsync<TMetadata>(session, id, asOf, version, ct)
            : await AssetDetails.LoadAsync<TMetadata>(session, id, ct) ?? throw DomainException.NotFound($"There is no {TMetadata.Kind.Name()} {id}."));
    }

    public async Task<IResult> ProductionAsync(string id, DateTimeOffset? asOf, long? version, int limit, int offset, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return TypedResults.Ok(asOf is not null || version is not null
            ? await PastViews.ProductionAsync(session, reads, id, asOf, version, ct, limit, offset)
            : await ProductionDetail.LoadAsync(session, id, ct, limit, offset));
    }

    public Task<(string ItemsJson, long Total)> SearchAsync(string text, IReadOnlyList<SearchTarget> scope, int limit, int offset, CancellationToken ct) =>
        cache.GetAsync(new SearchKey(text, string.Join(',', scope.Select(s => s.Kind + ':' + s.Scope)), limit, offset), async token =>
        {
            await using var connection = await reads.OpenAsync(token);
            return await CatalogSearch.RunAsync(connection, text, scope, limit, offset, token);
        }, hits => 2L * hits.ItemsJson.Length, ct);

    private sealed record PageKey(ViewSelection Selection, int Limit, int Offset);

    private sealed record SearchKey(string Text, string Scope, int Limit, int Offset);

    private sealed record MediaKey(AssetKind Kind, long Id);

    public Task<CatalogStats> StatsAsync(CancellationToken ct) => stats.GetAsync(ct);

    public async Task<MediaContent> OpenMediaAsync<TMetadata>(long id, CancellationToken ct) where TMetadata : IAssetMetadata
    {
        var media = await cache.GetAsync(new MediaKey(TMetadata.Kind, id), token => MediaLookup.FindAsync(reads, TMetadata.Kind, id, token),
                        facts => facts is null ? 0 : 2L * (facts.Filename.Length + facts.MimeType.Length + facts.Sha256.Length), ct)
                    ?? throw DomainException.NotFound($"There is no {TMetadata.Kind.Name()} {id}.");
        var content = await blobs.OpenForServingAsync(media.Sha256, ct)
                      ?? throw new InvalidOperationException($"The blob {media.Sha256} of {TMetadata.Kind.Name()} {id} is missing from the store.");
        return new MediaContent(content, media.MimeType, media.Filename, media.Sha256, media.CreatedAt);
    }
}
