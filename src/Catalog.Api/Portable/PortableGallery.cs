using Catalog.Api.Browsing;
using Catalog.Api.Http;
using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Exporter.Portable;
using Catalog.Projections.Queries;

namespace Catalog.Api.Portable;

/// <summary>Portable mode's browsing: the routes' reads answered from the <c>assets.db</c> given as <c>Catalog:AssetsDb</c>.</summary>
public sealed class PortableGallery(PortableCatalog file, TimeProvider clock) : IGallery
{
    public Task<string> AssetPageAsync<TMetadata>(string? type, string? productionId, int limit, int offset, CancellationToken ct) where TMetadata : IAssetMetadata =>
        Task.FromResult(file.AssetPageJson<TMetadata>(type, productionId, limit, offset));

    public Task<string> ProductionPageAsync(string? status, int limit, int offset, CancellationToken ct) =>
        Task.FromResult(file.ProductionPageJson(status, limit, offset));

    public Task<IResult> AssetAsync<TMetadata>(long id, DateTimeOffset? asOf, long? version, CancellationToken ct) where TMetadata : IAssetMetadata
    {
        NoPast(asOf, version);
        return Json(file.AssetDetailJson<TMetadata>(id) ?? throw DomainException.NotFound($"There is no {TMetadata.Kind.Name()} {id} in {file.FilePath}."));
    }

    public Task<IResult> ProductionAsync(string id, DateTimeOffset? asOf, long? version, int limit, int offset, CancellationToken ct)
    {
        NoPast(asOf, version);
        return Json(file.ProductionDetailJson(id, limit, offset) ?? throw DomainException.NotFound($"There is no production '{id}' in {file.FilePath}."));
    }

    public Task<(string ItemsJson, long Total)> SearchAsync(string text, IReadOnlyList<SearchTarget> scope, int limit, int offset, CancellationToken ct) =>
        Task.FromResult(file.Search(text, scope.Select(t => t.Kind).ToHashSet(), limit, offset));

    public Task<CatalogStats> StatsAsync(CancellationToken ct) => Task.FromResult(file.Stats(clock.GetUtcNow()));

    public async Task<MediaContent> OpenMediaAsync<TMetadata>(long id, CancellationToken ct) where TMetadata : IAssetMetadata
    {
        var media = await file.OpenMediaAsync<TMetadata>(id, ct);
        return new MediaContent(media.Content, media.MimeType, media.Filename, media.Sha256, media.CreatedAt);
    }

    private void NoPast(DateTimeOffset? asOf, long? version)
    {
        if (asOf is not null || version is not null)
            throw ApiProblem.BadRequest($"as_of and version read the catalog's history; {file.FilePath} is a portable file, which keeps its rows, not their history.");
    }

    private static Task<IResult> Json(string json) => Task.FromResult<IResult>(TypedResults.Text(json, "application/json; charset=utf-8"));
}
