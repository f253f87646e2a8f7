using Catalog.Testing;
using static Catalog.Api.Tests.Faults.Acknowledged;

namespace Catalog.Api.Tests.Faults;

/// <summary>The service killed with SIGKILL while uploads stream in, then started again on the same data.</summary>
public sealed class KillingTheService
{
    [Fact]
    public async Task every_acknowledged_upload_survives_and_the_next_start_leaves_no_staging_or_orphan_behind()
    {
        var database = await TestPostgres.CreateDatabaseAsync("catalog_kill");
        using var data = new TempDirectory("catalog-kill-");
        var blobs = Path.Combine(data.Path, "blobs");
        var acknowledged = new Acknowledged();

        var service = await ServiceProcess.StartAsync(database, data.Path);
        using (var stop = new CancellationTokenSource())
        {
            // Three clients of ~1.5 MB uploads: the kill lands while some are being received, staged or registered.
            var uploads = acknowledged.UploadUntilAsync(() => service.Client, stop.Token, workers: 3, size: 700);
            await UntilAsync(() => Task.FromResult(acknowledged.Count >= 6), "six acknowledged uploads");
            await service.KillAsync();
            await stop.CancelAsync();
            await uploads;
        }
        await service.DisposeAsync();
        Assert.Contains("no answer", acknowledged.Answers);

        await using var restarted = await ServiceProcess.StartAsync(database, data.Path);
        Assert.Empty(Staging(blobs));
        await acknowledged.AllComeBackAsync(restarted.Client);
        await NoEventNamesAMissingBlobAsync(database, blobs);
        // Bytes a registration committed before the kill cut its event are orphans: the start's sweep removes them.
        await UntilAsync(async () =>
        {
            var named = (await NamedBlobsAsync(database)).ToHashSet();
            return Directory.GetFiles(blobs, "*", SearchOption.AllDirectories)
                .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) != "tmp")
                .All(f => named.Contains(Path.GetFileName(f)));
        }, "the start's sweep to remove orphaned bytes");
    }
}
