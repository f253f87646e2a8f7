using Catalog.Domain.Assets;
using Catalog.Importer;
using Catalog.Infrastructure.Media;
using Catalog.Infrastructure;
using Catalog.Projections.Views;
using Catalog.Projections;
using Catalog.Testing;
using Marten;

namespace Catalog.Importer.Tests;

/// <summary>Imports into the collection's catalog, from folders made of real media files.</summary>
public abstract class ImportTest(CatalogFixture fixture) : CatalogTest(fixture)
{
    protected static readonly MediaProbe Probe = MediaProbe.FromSetting(Environment.GetEnvironmentVariable("Catalog__Ffprobe"));
    protected TempDirectory Source { get; } = new("catalog-import-source-");

    /// <summary>Writes a file under the source root (folders made as needed) and returns its path.</summary>
    protected string Put(string relative, byte[] bytes)
    {
        var path = Source[relative];
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    protected string PutText(string relative, string text) => Put(relative, System.Text.Encoding.UTF8.GetBytes(text));

    protected string PutFixture(string relative, string fixture) => Put(relative, File.ReadAllBytes(TestMedia.Fixture(fixture)));

    protected Task<ImportReport> ImportFolderAsync(FileImportOptions? options = null, IProgress<WorkProgress>? progress = null,
        CancellationToken ct = default, MediaProbe? probe = null) =>
        FileSystemImport.RunAsync(Catalog.Store, Catalog.Blobs, probe ?? Probe, long.MaxValue, options ?? new FileImportOptions(Source.Path),
            "importer", progress, ct);

    protected async Task<AssetView<TMetadata>> One<TMetadata>(string filename) where TMetadata : IAssetMetadata
    {
        await using var session = Catalog.Store.QuerySession();
        return await session.Query<AssetView<TMetadata>>().SingleAsync(x => x.Filename == filename);
    }

    protected async Task<List<AssetView<TMetadata>>> All<TMetadata>() where TMetadata : IAssetMetadata
    {
        await using var session = Catalog.Store.QuerySession();
        return (await session.Query<AssetView<TMetadata>>().OrderBy(x => x.Id).ToListAsync()).ToList();
    }

    /// <summary>The catalog's events (not Marten's tombstones, which fill the sequence numbers a failed or cancelled append had taken).</summary>
    protected async Task<long> EventCount()
    {
        await using var session = Catalog.Store.QuerySession();
        return await session.Events.QueryAllRawEvents().Where(e => e.StreamKey != CatalogStore.TombstoneStream).CountAsync();
    }

    protected static string Entry(ImportReport report, string item) =>
        report.Entries.Single(e => e.Item.EndsWith(item, StringComparison.Ordinal)).Message;

    protected override void Cleanup() => Source.Dispose();
}
