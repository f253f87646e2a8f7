using Catalog.Domain;
using Catalog.Domain.Assets;
using Catalog.Infrastructure.Blobs;
using Catalog.Infrastructure.Media;

namespace Catalog.Application.Assets;

/// <summary>
/// The seed's migration step "populate metadata columns", for every way in that brings a file (an upload, <c>import-fs</c>):
/// the columns the bytes can say (<c>size</c>; <c>duration</c>, <c>resolution</c>, <c>fps</c>; <c>duration</c>,
/// <c>sample_rate</c>) that the metadata leaves empty are read from the file with the same <see cref="MediaProbe"/>; a
/// value given wins and stays as given. <c>import-db</c> keeps its rows exactly as they are and reads nothing.
/// </summary>
public static class MetadataFromBytes
{
    /// <summary>The metadata with its empty columns filled from what the probe read.</summary>
    public static TMetadata Complete<TMetadata>(TMetadata metadata, MediaFacts facts) where TMetadata : IAssetMetadata =>
        AssetKinds.Of<TMetadata>().Completed(metadata, field => facts.Column(field.Name));

    /// <summary>
    /// The metadata completed from the staged bytes. The file is probed only when a column the bytes can say is empty (the
    /// probe of a long video reads all of it); a file the probe finds damaged is refused (422) and nothing is kept.
    /// </summary>
    public static async Task<TMetadata> ReadAsync<TMetadata>(MediaProbe probe, StagedBlob blob, string mimeType, TMetadata metadata,
        CancellationToken ct) where TMetadata : IAssetMetadata
    {
        var kind = AssetKinds.Of<TMetadata>();
        if (!kind.Values(metadata).Any(v => v.Value is null && MediaFacts.Columns.Contains(v.Field.Name))) return metadata;
        var probed = await probe.ProbeAsync(blob, mimeType, ct);
        return probed.Facts is { } facts
            ? Complete(metadata, facts)
            : throw DomainException.Unprocessable($"The file is damaged — {probed.Damage}; nothing was kept.");
    }
}
