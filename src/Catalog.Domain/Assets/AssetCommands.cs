namespace Catalog.Domain.Assets;

/// <param name="CreatedAt">The seed's created_at when the caller knows it (e.g. an older file); else the registration time.</param>
public sealed record RegisterAsset<TMetadata>(
    string Filename, string? ProductionId, TMetadata Metadata, StoredContent Content, DateTimeOffset? CreatedAt)
    where TMetadata : IAssetMetadata;
