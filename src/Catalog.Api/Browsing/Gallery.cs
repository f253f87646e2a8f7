using Catalog.Domain.Assets;
using Catalog.Projections.Queries;

namespace Catalog.Api.Browsing;

/// <summary>An asset's bytes as the media endpoint serves them.</summary>
/// <param name="Sha256">The bytes' SHA-256: the ETag.</param>
public sealed record MediaContent(Stream Content, string MimeType, string Filename, string Sha256, DateTimeOffset LastModified);

/// <summary>
/// What the browsing routes read — lists, details, search, stats and bytes — in the catalog's JSON shapes. Two sources
/// answer: the catalog's views and blob store (<see cref="CatalogGallery"/>), or a portable <c>assets.db</c> served
/// read-only (<see cref="Portable.PortableGallery"/>, portable mode). The routes and their checks are the same for both.
/// </summary>
public interface IGallery
{
    /// <summary>A page of a kind's assets, newest first, filtered by type and/or production: the list's JSON.</summary>
    Task<string> AssetPageAsync<TMetadata>(string? type, string? productionId, int limit, int offset, CancellationToken ct) where TMetadata : IAssetMetadata;

    /// <summary>A page of the productions, newest first, filtered by status: the list's JSON.</summary>
    Task<string> ProductionPageAsync(string? status, int limit, int offset, CancellationToken ct);

    /// <summary>An asset's detail (now, or as it was at <paramref name="asOf"/> / stream <paramref name="version"/>); 404 when there is none.</summary>
    Task<IResult> AssetAsync<TMetadata>(long id, DateTimeOffset? asOf, long? version, CancellationToken ct) where TMetadata : IAssetMetadata;

    /// <summary>A production with a page of each kind of its assets; 404 when there is none.</summary>
    Task<IResult> ProductionAsync(string id, DateTimeOffset? asOf, long? version, int limit, int offset, CancellationToken ct);

    /// <summary>A page of hits (each item its kind's list item with <c>kind</c> and <c>rank</c>) as a JSON array, and the total.</summary>
    Task<(string ItemsJson, long Total)> SearchAsync(string text, IReadOnlyList<SearchTarget> scope, int limit, int offset, CancellationToken ct);

    Task<CatalogStats> StatsAsync(CancellationToken ct);

    /// <summary>An asset's bytes; 404 when there is no such asset (or, in a portable file, its bytes are missing).</summary>
    Task<MediaContent> OpenMediaAsync<TMetadata>(long id, CancellationToken ct) where TMetadata : IAssetMetadata;
}
