using Catalog.Domain.Productions;

namespace Catalog.Domain.Assets;

/// <summary>
/// The asset rules for every kind, as pure functions. The caller loads the state (null when the stream
/// does not exist) and any production the command names; the id of a new asset comes from the kind's sequence.
/// </summary>
public static class AssetDecisions
{
    /// <summary>
    /// The rules of a registration's own input (filename, metadata, content), so a caller can refuse bad
    /// input before it loads anything or takes a number from the sequence. <see cref="Register{TMetadata}"/>
    /// applies them again.
    /// </summary>
    public static void Validate<TMetadata>(RegisterAsset<TMetadata> command)
        where TMetadata : IAssetMetadata
    {
        var problems = new List<string>();
        if (AssetFilenames.Problem(command.Filename) is { } filenameProblem) problems.Add(filenameProblem);
        problems.AddRange(command.Metadata.Problems());
        if (problems.Count > 0) throw DomainException.Invalid(string.Join(" ", problems));

        var content = command.Content;
        if (content.ByteSize <= 0) throw DomainException.Invalid("The file is empty.");
        if (!content.MimeType.StartsWith(TMetadata.MimePrefix, StringComparison.Ordinal))
            throw DomainException.Invalid($"The content of {TMetadata.Kind.WithArticle()} must be {TMetadata.MimePrefix}*, not {content.MimeType}.");
    }

    public static AssetRegistered<TMetadata> Register<TMetadata>(
        RegisterAsset<TMetadata> command, long assetId, Production? production, string by, DateTimeOffset now)
        where TMetadata : IAssetMetadata
    {
        Validate(command);
        if (command.ProductionId is { } productionId) RequireProduction(production, productionId);
        return new AssetRegistered<TMetadata>(assetId, command.Filename, command.ProductionId, command.Metadata, command.Content,
            command.CreatedAt ?? now, by, now);
    }

    public static AssetMetadataCorrected<TMetadata> CorrectMetadata<TMetadata>(
        Asset<TMetadata>? state, long assetId, TMetadata metadata, string by, DateTimeOffset now)
        where TMetadata : IAssetMetadata
    {
        var asset = Live(state, assetId);
        var problems = metadata.Problems().ToList();
        if (problems.Count > 0) throw DomainException.Invalid(string.Join(" ", problems));
        return new AssetMetadataCorrected<TMetadata>(asset.AssetId, metadata, by, now);
    }

    public static AssetMovedToProduction<TMetadata> MoveToProduction<TMetadata>(
        Asset<TMetadata>? state, long assetId, string productionId, Production? production, string by, DateTimeOffset now)
        where TMetadata : IAssetMetadata
    {
        var asset = Live(state, assetId);
        RequireProduction(production, productionId);
        if (asset.ProductionId == productionId)
            throw DomainException.Conflict($"{Describe<TMetadata>(assetId)} is already in production '{productionId}'.");
        return new AssetMovedToProduction<TMetadata>(asset.AssetId, productionId, asset.ProductionId, by, now);
    }

    public static AssetDetachedFromProduction<TMetadata> DetachFromProduction<TMetadata>(
        Asset<TMetadata>? state, long assetId, string by, DateTimeOffset now)
        where TMetadata : IAssetMetadata
    {
        var asset = Live(state, assetId);
        if (asset.ProductionId is not { } current)
            throw DomainException.Conflict($"{Describe<TMetadata>(assetId)} is not in a production.");
        return new AssetDetachedFromProduction<TMetadata>(asset.AssetId, current, by, now);
    }

    /// <param name="cascadedFromProductionId">The production whose deletion takes this asset with it, if any.</param>
    public static AssetTrashed<TMetadata> Delete<TMetadata>(
        Asset<TMetadata>? state, long assetId, string? cascadedFromProductionId, string by, DateTimeOffset now)
        where TMetadata : IAssetMetadata
    {
        var asset = Live(state, assetId);
        return new AssetTrashed<TMetadata>(asset.AssetId, cascadedFromProductionId, by, now);
    }

    /// <summary>
    /// Back from the trash with its id, filename, metadata and bytes. Its production, if it had one, must be
    /// live (restore the production first: that brings back the assets deleted with it).
    /// </summary>
    public static AssetRestored<TMetadata> Restore<TMetadata>(
        Asset<TMetadata>? state, long assetId, Production? production, string by, DateTimeOffset now)
        where TMetadata : IAssetMetadata
    {
        var asset = Trashed(state, assetId);
        if (asset.ProductionId is { } productionId && (production is null || production.IsDeleted))
            throw DomainException.Conflict(
                $"{Describe<TMetadata>(assetId)} belongs to production '{productionId}', which is not live: restore the production first.");
        return new AssetRestored<TMetadata>(asset.AssetId, asset.Filename, asset.ProductionId, asset.Metadata, asset.Content,
            asset.CreatedAt, by, now);
    }

    /// <summary>Emptied from the trash for good; the event names the bytes that may now leave the blob store.</summary>
    public static AssetPurged<TMetadata> Purge<TMetadata>(Asset<TMetadata>? state, long assetId, string by, DateTimeOffset now)
        where TMetadata : IAssetMetadata
    {
        var asset = Trashed(state, assetId);
        return new AssetPurged<TMetadata>(asset.AssetId, asset.Content.Sha256, by, now);
    }

    /// <summary>The asset a restore or a purge addresses: in the trash, not purged.</summary>
    public static Asset<TMetadata> Trashed<TMetadata>(Asset<TMetadata>? state, long assetId)
        where TMetadata : IAssetMetadata => state switch
    {
        null or { IsPurged: true } => throw DomainException.NotFound($"{Describe<TMetadata>(assetId)} is not in the trash."),
        { IsDeleted: false } => throw DomainException.Conflict($"{Describe<TMetadata>(assetId)} is not in the trash; there is nothing to restore."),
        _ => state,
    };

    public static Asset<TMetadata> Live<TMetadata>(Asset<TMetadata>? state, long assetId)
        where TMetadata : IAssetMetadata =>
        state is null || state.IsDeleted
            ? throw DomainException.NotFound($"{Describe<TMetadata>(assetId)} does not exist.")
            : state;

    /// <summary>An asset may only go into a production that exists and is not deleted (422 otherwise).</summary>
    public static void RequireProduction(Production? production, string productionId)
    {
        if (production is null || production.IsDeleted)
            throw DomainException.Unprocessable($"Production '{productionId}' does not exist.");
    }

    private static string Describe<TMetadata>(long assetId) where TMetadata : IAssetMetadata
    {
        var name = TMetadata.Kind.Name();
        return $"{char.ToUpperInvariant(name[0])}{name[1..]} {assetId}";
    }
}
