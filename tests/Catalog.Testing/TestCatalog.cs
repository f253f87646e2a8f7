using Catalog.Application;
using Catalog.Application.Assets;
using Catalog.Application.Productions;
using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Infrastructure.Blobs;
using Catalog.Projections;
using JasperFx.Events;
using Marten;

namespace Catalog.Testing;

/// <summary>
/// A catalog for tests that need one without the HTTP layer (the exporter's, the imports', the CLI's): its own
/// PostgreSQL database and blob store, changed only through the write side's handlers — the same code the API, the
/// CLI and the imports run — so a test of what follows a command exercises the product, not a harness.
/// </summary>
public sealed class TestCatalog : IAsyncDisposable
{
    private readonly TempDirectory _directory;

    private TestCatalog(string connectionString, DocumentStore store, TempDirectory directory, TimeProvider clock)
    {
        Clock = clock;
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

    /// <summary>Who the harness's commands are recorded as.</summary>
    public Caller Caller { get; } = new("test");

    /// <summary>The catalog's clock (events and their facts): moves a millisecond every time it is read, so consecutive commands never share an instant.</summary>
    public TimeProvider Clock { get; }

    public static async Task<TestCatalog> CreateAsync(string prefix = "catalog_test")
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync(prefix);
        var clock = TestClock.Create();
        var store = DocumentStore.For(o => o.ConfigureCatalog(connectionString, clock));
        await store.ApplySchemaAsync();
        return new TestCatalog(connectionString, store, new TempDirectory("catalog-data-"), clock);
    }

    /// <summary>No events, no views, and the id sequences back at 1.</summary>
    public async Task ResetAsync()
    {
        await Store.Advanced.ResetAllData();
        await using var session = Store.LightweightSession();
        foreach (var kind in Enum.GetValues<AssetKind>())
            await session.QueryAsync<long>($"select setval('{AssetIdSequences.Qualified(kind)}', 1, false)");
    }

    public Task CreateProductionAsync(string id, string? title = "Night Drive", string? artist = "Van Williams") =>
        RunAsync(session => ProductionCommands.HandleAsync(session, new CreateProduction(id, title, artist), Caller, Clock, default));

    public Task SendAsync(ChangeProductionDetails command) => RunAsync(s => ProductionCommands.HandleAsync(s, command, Caller, Clock, default));
    public Task SendAsync(ChangeProductionStatus command) => RunAsync(s => ProductionCommands.HandleAsync(s, command, Caller, Clock, default));
    public Task SendAsync(AttachProductionAudio command) => RunAsync(s => ProductionCommands.HandleAsync(s, command, Caller, Clock, default));
    public Task SendAsync(ReplaceStoryboard command) => RunAsync(s => ProductionCommands.HandleAsync(s, command, Caller, Clock, default));
    public Task SendAsync(ReplaceSettings command) => RunAsync(s => ProductionCommands.HandleAsync(s, command, Caller, Clock, default));
    public Task SendAsync(DeleteProduction command) => RunAsync(s => ProductionCommands.HandleAsync(s, command, Caller, Clock, default));
    public Task SendAsync(RestoreProduction command) => RunAsync(s => ProductionCommands.HandleAsync(s, command, Caller, Clock, default));

    public Task SendAsync<TMetadata>(CorrectAssetMetadata<TMetadata> command) where TMetadata : IAssetMetadata =>
        RunAsync(s => AssetCommands.HandleAsync(s, command, Caller, Clock, default));
    public Task SendAsync<TMetadata>(MoveAsset<TMetadata> command) where TMetadata : IAssetMetadata =>
        RunAsync(s => AssetCommands.HandleAsync(s, command, Caller, Clock, default));
    public Task SendAsync<TMetadata>(DetachAsset<TMetadata> command) where TMetadata : IAssetMetadata =>
        RunAsync(s => AssetCommands.HandleAsync(s, command, Caller, Clock, default));
    public Task SendAsync<TMetadata>(DeleteAsset<TMetadata> command) where TMetadata : IAssetMetadata =>
        RunAsync(s => AssetCommands.HandleAsync(s, command, Caller, Clock, default));
    public Task SendAsync<TMetadata>(RestoreAsset<TMetadata> command) where TMetadata : IAssetMetadata =>
        RunAsync(s => AssetCommands.HandleAsync(s, command, Caller, Clock, default));

    public Task<long> RegisterAsync<TMetadata>(TMetadata metadata, byte[] bytes, string mimeType, string filename,
        string? productionId = null, DateTimeOffset? createdAt = null) where TMetadata : IAssetMetadata =>
        RegisterAsync(metadata, new MemoryStream(bytes), mimeType, filename, productionId, createdAt);

    /// <summary>Registers the bytes of a stream (never held whole) through the registration handler.</summary>
    public async Task<long> RegisterAsync<TMetadata>(TMetadata metadata, Stream content, string mimeType, string filename,
        string? productionId = null, DateTimeOffset? createdAt = null) where TMetadata : IAssetMetadata
    {
        await using var staged = await Blobs.StageAsync(content, long.MaxValue, CancellationToken.None);
        var command = new RegisterAsset<TMetadata>(filename, productionId, metadata, new StoredContent(staged.Sha256, staged.Length, mimeType), createdAt);
        await using var session = Store.LightweightSession();
        return await AssetCommands.HandleAsync(session, command, staged, Caller, Clock, CancellationToken.None);
    }

    /// <summary>The stored timestamp of a stream's latest event: an instant "as of" exports can be taken at.</summary>
    public async Task<DateTimeOffset> LatestEventAtAsync(string streamKey)
    {
        await using var session = Store.QuerySession();
        IReadOnlyList<IEvent> events = await session.Events.FetchStreamAsync(streamKey);
        return events[^1].Timestamp;
    }

    private async Task RunAsync(Func<IDocumentSession, Task> handle)
    {
        await using var session = Store.LightweightSession();
        await handle(session);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Blobs.Dispose();
        _directory.Dispose();
    }
}
