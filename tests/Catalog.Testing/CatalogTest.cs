using Catalog.Domain.Assets;
using Catalog.Exporter;
using Catalog.Infrastructure;
using Catalog.Testing;
using Microsoft.Data.Sqlite;

namespace Catalog.Testing;

/// <summary>
/// One catalog (database + blob store) per test collection; each test resets it first. A test project declares the
/// collection once: <c>[CollectionDefinition(CatalogFixture.Collection)] public sealed class Catalogs : ICollectionFixture&lt;CatalogFixture&gt;;</c>
/// </summary>
public sealed class CatalogFixture : IAsyncLifetime
{
    public TestCatalog Catalog { get; private set; } = null!;

    public const string Collection = "catalog";

    public async Task InitializeAsync() => Catalog = await TestCatalog.CreateAsync();

    public async Task DisposeAsync() => await Catalog.DisposeAsync();
}

/// <summary>Base of the tests on a catalog without the HTTP layer: the collection's catalog, reset before each test, and a scratch folder.</summary>
[Collection(CatalogFixture.Collection)]
public abstract class CatalogTest(CatalogFixture fixture) : IAsyncLifetime
{
    protected TestCatalog Catalog => fixture.Catalog;
    protected TempDirectory Out { get; } = new("catalog-test-");

    public virtual Task InitializeAsync() => Catalog.ResetAsync();

    public Task DisposeAsync()
    {
        Out.Dispose();
        Cleanup();
        return Task.CompletedTask;
    }

    protected virtual void Cleanup() { }

    protected async Task<ExportSummary> ExportAsync(ExportOptions options, IProgress<WorkProgress>? progress = null, CancellationToken ct = default)
    {
        await using var source = await ExportSource.OpenAsync(Catalog.Store, options.ProductionId, options.AsOf, ct);
        return await AssetsDbWriter.WriteAsync(source, Catalog.Blobs, options, progress, ct);
    }

    protected async Task<VerifyReport> VerifyAsync(string path, string? productionId = null, DateTimeOffset? asOf = null)
    {
        await using var source = await ExportSource.OpenAsync(Catalog.Store, productionId, asOf, default);
        return await AssetsDbVerifier.VerifyAsync(path, source, default);
    }

    protected static SqliteConnection OpenRead(string path)
    {
        var db = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        db.Open();
        return db;
    }

    protected static List<object?[]> Rows(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    protected static object? Scalar(SqliteConnection db, string sql) => Rows(db, sql).Single()[0];

    protected Task<long> Image(string filename, string? production = null, int seed = 0, string type = "generated") =>
        Catalog.RegisterAsync(new ImageMetadata(type, "c1", "Van Williams", "64x36", "txt2img", 7.5, 30), TestMedia.Png(seed: seed),
            "image/png", filename, production);

    protected Task<long> Video(string filename, string? production = null) =>
        Catalog.RegisterAsync(new VideoMetadata("clip", "c1", 3.0, "720p", 24, "frame.png", "walk", "pan left"), TestMedia.Mp4(),
            "video/mp4", filename, production);

    protected Task<long> Audio(string filename, string? production = null) =>
        Catalog.RegisterAsync(new AudioMetadata("original", 0.5, 48_000), TestMedia.Wav(), "audio/wav", filename, production);
}
