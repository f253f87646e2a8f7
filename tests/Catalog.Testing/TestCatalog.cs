using Catalog.Application.Assets;
using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Domain;
using Catalog.Infrastructure.Blobs;
using Catalog.Projections;
using JasperFx.Events;
using Marten;

namespace Catalog.Testing;

/// <summary>
/// A catalog for tests that need one without the HTTP layer (the exporter's): its own PostgreSQL database and
/// blob store, changed through the domain's own decisions and events, as the API changes it.
/// </summary>
public sealed class TestCatalog : IAsyncDisposable
{
    private const string Actor = "test";
    private readonly TempDirectory _directory;

    private TestCatalog(string connectionString, DocumentStore store, TempDirectory directory)
    {
        ConnectionString = connectionString;
        Store = store;
        _directory = directory;
        Blobs = new FileSystemBlobStore(BlobDirectory);
    }

    public string ConnectionString { get; }
    public DocumentStore Store { get; }
    public FileSystemBlobStore Blobs { get; }
    public string DataDirectory => _directory.Path;
    public string BlobDirectory => Path.Combine(_directory.Path, "blobs");

    public static async Task<TestCatalog> CreateAsync(string prefix = "catalog_test")
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync(prefix);
        var store = DocumentStore.For(o => o.ConfigureCatalog(connectionString));
        await store.ApplySchemaAsync();
        return new TestCatalog(connectionString, store, new TempDirectory("catalog-data-"));
    }

    /// <summary>No events, no views, and the id sequences back at 1.</summary>
    public async Task ResetAsync()
    {
        await Store.Advanced.ResetAllData();
        await using var session = Store.LightweightSession();
        foreach (var kind in Enum.GetValues<AssetKind>())
            await session.QueryAsync<long>($"select setval('{AssetIdSequences.Qualified(kind)}', 1, false)");
    }

    public async Task CreateProductionAsync(string id, string? title = "Night Drive", string? artist = "Van Williams")
    {
        await using var session = Store.LightweightSession();
        session.Events.StartStream(StreamKeys.Production(id),
            ProductionDecisions.Create(null, new CreateProduction(id, title, artist), Actor, DateTimeOffset.UtcNow));
        await session.SaveChangesAsync();
    }

    /// <summary>Decides on the production's current state and appends what the decision returns.</summary>
    public Task ChangeProductionAsync(string id, Func<Production?, object> decide) =>
        ChangeAsync<Production>(StreamKeys.Production(id), decide);

    public Task ChangeAssetAsync<TMetadata>(long assetId, Func<Asset<TMetadata>?, object> decide) where TMetadata : IAssetMetadata =>
        ChangeAsync<Asset<TMetadata>>(StreamKeys.Asset<TMetadata>(assetId), decide);

    /// <summary>The production's deletion and, as the API does, its assets' (cascade).</summary>
    public async Task DeleteProductionAsync(string id)
    {
        await using var session = Store.LightweightSession();
        var now = DateTimeOffset.UtcNow;
        var production = await session.Events.FetchForWriting<Production>(StreamKeys.Production(id));
        production.AppendOne(ProductionDecisions.Delete(production.Aggregate, id, Actor, now));
        await CascadeAsync<ImageMetadata>(session, id, now);
        await CascadeAsync<VideoMetadata>(session, id, now);
        await CascadeAsync<AudioMetadata>(session, id, now);
        await session.SaveChangesAsync();
    }

    public async Task<long> RegisterAsync<TMetadata>(TMetadata metadata, byte[] bytes, string mimeType, string filename,
        string? productionId = null, DateTimeOffset? createdAt = null) where TMetadata : IAssetMetadata
    {
        StoredContent content;
        await using (var staged = await Blobs.StageAsync(new MemoryStream(bytes), long.MaxValue, CancellationToken.None))
        {
            await staged.CommitAsync(CancellationToken.None);
            content = new StoredContent(staged.Sha256, staged.Length, mimeType);
        }
        return await RegisterContentAsync(metadata, content, filename, productionId, createdAt);
    }

    /// <summary>Registers content already in the blob store (e.g. written there as a stream).</summary>
    public async Task<long> RegisterContentAsync<TMetadata>(TMetadata metadata, StoredContent content, string filename,
        string? productionId = null, DateTimeOffset? createdAt = null) where TMetadata : IAssetMetadata
    {
        await using var session = Store.LightweightSession();
        Production? production = null;
        if (productionId is not null)
            production = (await session.Events.FetchForWriting<Production>(StreamKeys.Production(productionId))).Aggregate;
        var id = await AssetIds.NextAsync(session, TMetadata.Kind, CancellationToken.None);
        var registered = AssetDecisions.Register(
            new RegisterAsset<TMetadata>(filename, productionId, metadata, content, createdAt), id, production, Actor, DateTimeOffset.UtcNow);
        session.Events.StartStream(StreamKeys.Asset<TMetadata>(id), registered);
        await session.SaveChangesAsync();
        return id;
    }

    /// <summary>The stored timestamp of a stream's latest event: an instant "as of" exports can be taken at.</summary>
    public async Task<DateTimeOffset> LatestEventAtAsync(string streamKey)
    {
        await using var session = Store.QuerySession();
        IReadOnlyList<IEvent> events = await session.Events.FetchStreamAsync(streamKey);
        return events[^1].Timestamp;
    }

    private async Task ChangeAsync<T>(string key, Func<T?, object> decide) where T : class
    {
        await using var session = Store.LightweightSession();
        var stream = await session.Events.FetchForWriting<T>(key);
        stream.AppendOne(decide(stream.Aggregate));
        await session.SaveChangesAsync();
    }

    private static async Task CascadeAsync<TMetadata>(IDocumentSession session, string productionId, DateTimeOffset now)
        where TMetadata : IAssetMetadata
    {
        var ids = await session.Query<Projections.Views.AssetView<TMetadata>>().Where(x => x.ProductionId == productionId).Select(x => x.Id).ToListAsync();
        foreach (var id in ids)
        {
            var asset = await session.Events.FetchForWriting<Asset<TMetadata>>(StreamKeys.Asset<TMetadata>(id));
            asset.AppendOne(AssetDecisions.Delete(asset.Aggregate, id, productionId, Actor, now));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _directory.Dispose();
    }
}
