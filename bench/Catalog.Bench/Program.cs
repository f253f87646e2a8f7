using System.Diagnostics;
using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Domain;
using Catalog.Infrastructure.Blobs;
using Catalog.Infrastructure.Database;
using Catalog.Infrastructure;
using Catalog.Projections;
using Catalog.Testing;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

// Benchmark helpers (see bench/query-load.sh):
//   Catalog.Bench load <images> <videos> <productions>
//       bulk-loads a catalog through the same decisions and events as the API. It reads the catalog's
//       configuration like the API (./appsettings.json, Catalog__*, ConnectionStrings__Catalog), so run it
//       from the repository root with the same settings as the service it feeds.
//   Catalog.Bench pgbench-script <first-page|deep-page|search|stats>
//       prints, as a pgbench script, exactly the SQL the API runs for that request.
if (args.FirstOrDefault() == "pgbench-script")
{
    Console.Write(PgbenchScripts.For(args[1]));
    return;
}
var images = args.Length > 1 ? int.Parse(args[1]) : 100_000;
var videos = args.Length > 2 ? int.Parse(args[2]) : 10_000;
var productionCount = args.Length > 3 ? int.Parse(args[3]) : 1_000;

var configuration = new ConfigurationBuilder()
    .AddJsonFile(Path.GetFullPath("appsettings.json"), optional: true)
    .AddEnvironmentVariables()
    .Build();
var settings = CatalogSettings.From(configuration);
await using var database = await CatalogDatabase.OpenAsync(settings, NullLogger.Instance);
await using var store = DocumentStore.For(o => o.ConfigureCatalog(database.ConnectionString));
await store.ApplySchemaAsync();
var blobs = new FileSystemBlobStore(settings.BlobDirectory);

const string Actor = "bench-loader";
var random = new Random(42);
var now = DateTimeOffset.UtcNow;
string[] words =
[
    "neon", "rain", "street", "night", "portrait", "close-up", "city", "skyline", "dancer", "mirror", "smoke", "chrome",
    "sunset", "desert", "highway", "car", "crowd", "stage", "spotlight", "guitar", "piano", "drums", "ocean", "wave",
    "forest", "fog", "moon", "stars", "train", "window", "reflection", "glitch", "vhs", "film", "grain", "slow-motion",
    "silhouette", "fire", "ice", "gold", "velvet", "studio", "rooftop", "alley", "subway", "diner", "motel", "river",
];
string Prompt() => random.Next(100) == 0
    ? $"Van Williams {string.Join(' ', Enumerable.Range(0, 6).Select(_ => words[random.Next(words.Length)]))}"
    : string.Join(' ', Enumerable.Range(0, 8).Select(_ => words[random.Next(words.Length)]));
DateTimeOffset CreatedAt() => now.AddSeconds(-random.Next(365 * 24 * 3600));

var watch = Stopwatch.StartNew();

// Real bytes: a pool of distinct PNGs and the real MP4, committed to the blob store first (durable before events).
var pngs = new List<StoredContent>();
for (var seed = 0; seed < 64; seed++) pngs.Add(await StoreAsync(TestMedia.Png(96, 54, seed), "image/png"));
var mp4 = await StoreAsync(TestMedia.Mp4(), "video/mp4");

var productions = new List<Production>();
await using (var session = store.LightweightSession())
{
    session.LastModifiedBy = Actor;
    for (var i = 0; i < productionCount; i++)
    {
        var id = $"prod_bench_{i:D5}";
        var artist = random.Next(50) == 0 ? "Van Williams" : $"Artist {random.Next(300)}";
        var created = ProductionDecisions.Create(null, new CreateProduction(id, $"{words[random.Next(words.Length)]} {words[random.Next(words.Length)]}", artist), Actor, now);
        session.Events.StartStream(Production.StreamKey(id), created);
        productions.Add(Production.Evolve(null, created)!);
    }
    await session.SaveChangesAsync();
}
Console.WriteLine($"{productionCount} productions in {watch.Elapsed.TotalSeconds:F1} s");

await LoadAsync<ImageMetadata>(images, isVideo: false);
await LoadAsync<VideoMetadata>(videos, isVideo: true);

await using (var connection = store.Storage.Database.CreateConnection())
{
    await connection.OpenAsync();
    await using var vacuum = connection.CreateCommand();
    vacuum.CommandText = "vacuum analyze";
    vacuum.CommandTimeout = 600;
    await vacuum.ExecuteNonQueryAsync();
}
Console.WriteLine($"loaded and vacuumed in {watch.Elapsed.TotalSeconds:F1} s");

async Task LoadAsync<TMetadata>(int count, bool isVideo) where TMetadata : IAssetMetadata
{
    const int Batch = 1000;
    var started = watch.Elapsed;
    for (var done = 0; done < count; done += Batch)
    {
        var size = Math.Min(Batch, count - done);
        await using var session = store.LightweightSession();
        session.LastModifiedBy = Actor;
        var ids = await session.QueryAsync<long>(
            $"select nextval('{AssetIdSequences.Qualified(TMetadata.Kind)}') from generate_series(1, {size})");
        foreach (var id in ids)
        {
            var production = random.Next(2) == 0 ? productions[random.Next(productions.Count)] : null;
            var type = AssetKinds.Of<TMetadata>().WellKnownTypes[Weighted()];
            var content = isVideo ? mp4 : pngs[random.Next(pngs.Count)];
            var metadata = (TMetadata)(object)(TMetadata.Kind == AssetKind.Image
                ? new ImageMetadata(type, $"clip_{random.Next(500)}", Prompt(), "96x54", random.Next(2) == 0 ? "txt2img" : "img2img", 7.5, 30)
                : new VideoMetadata(type, $"clip_{random.Next(500)}", 3.0, "720p", 24, null, Prompt(), "dolly in"));
            var command = new RegisterAsset<TMetadata>($"{TMetadata.Kind.Name()}_{id:D7}.{(isVideo ? "mp4" : "png")}",
                production?.ProductionId, metadata, content, CreatedAt());
            session.Events.StartStream(Asset<TMetadata>.StreamKey(id), AssetDecisions.Register(command, id, production, Actor, now));
        }
        await session.SaveChangesAsync();
        if ((done / Batch) % 10 == 0) Console.WriteLine($"  {TMetadata.Kind.Table()}: {done + size}/{count}");
    }
    var seconds = (watch.Elapsed - started).TotalSeconds;
    Console.WriteLine($"{count} {TMetadata.Kind.Table()} in {seconds:F1} s ({count / seconds:F0}/s)");
}

async Task<StoredContent> StoreAsync(byte[] bytes, string mime)
{
    await using var staged = await blobs.StageAsync(new MemoryStream(bytes), long.MaxValue, CancellationToken.None);
    await staged.CommitAsync(CancellationToken.None);
    return new StoredContent(staged.Sha256, staged.Length, mime);
}

// 70% the first type, 20% the second, 10% the rest.
int Weighted() => random.Next(10) switch { < 7 => 0, < 9 => 1, _ => 2 };
