using System.Diagnostics;
using Catalog.Testing;

namespace Catalog.Exporter.Tests;

/// <summary>The command line, run as a user runs it: a process, configured by environment variables, judged by exit code and output.</summary>
public sealed class TheCli(ExportFixture fixture) : ExportTest(fixture)
{
    private async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "catalog.dll");
        var start = new ProcessStartInfo("dotnet", [cli, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Out.Path,
            Environment =
            {
                ["ConnectionStrings__Catalog"] = Catalog.ConnectionString,
                ["Catalog__DataDirectory"] = Catalog.DataDirectory,
            },
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task export_then_verify()
    {
        await Catalog.CreateProductionAsync("prod_cli");
        await Image("a.png", "prod_cli");
        await Video("b.mp4", "prod_cli");

        var export = await Run("export", "--out", "backup/assets.db");
        Assert.True(export.Code == 0, export.Err + export.Out);
        Assert.Contains("export: 100%", export.Out);            // plain progress lines: the output is not a terminal
        Assert.Contains("images  1", export.Out);
        Assert.Contains("MB/s", export.Out);
        Assert.True(File.Exists(Out["backup/assets.db"]));

        var verify = await Run("verify", "backup/assets.db");
        Assert.True(verify.Code == 0, verify.Err + verify.Out);
        Assert.Contains("OK", verify.Out);
    }

    [Fact]
    public async Task failures_exit_non_zero_with_a_message()
    {
        var unknown = await Run("export", "--out", "x.db", "--production", "prod_missing");
        Assert.Equal(2, unknown.Code);
        Assert.Contains("There is no production 'prod_missing'", unknown.Err);
        Assert.DoesNotContain("   at ", unknown.Err);

        var usage = await Run("export");
        Assert.NotEqual(0, usage.Code);
        Assert.Contains("--out", usage.Err + usage.Out);

        await Image("a.png");
        Assert.Equal(0, (await Run("export", "--out", "assets.db")).Code);
        await Image("b.png", seed: 2);
        var stale = await Run("verify", "assets.db");
        Assert.Equal(1, stale.Code);
        Assert.Contains("images: 1 rows in the file, 2 in the catalog", stale.Err);
    }

    [Fact]
    public async Task purge_records_the_os_user_and_rebuild_restores_dropped_views()
    {
        var id = await Image("purged.png");
        await Catalog.ChangeAssetAsync<Domain.Assets.ImageMetadata>(id, a => Domain.Assets.AssetDecisions.Delete(a, id, null, "t", DateTimeOffset.UtcNow));
        var kept = await Image("kept.png", seed: 2);

        var purge = await Run("purge", "--all");
        Assert.True(purge.Code == 0, purge.Err + purge.Out);
        Assert.Contains("Purged 0 productions and 1 assets", purge.Out);
        await using (var session = Catalog.Store.QuerySession())
        {
            var purged = (await session.Events.FetchStreamAsync($"image:{id}"))[^1];
            Assert.Equal("image.purged", purged.EventTypeName);
            Assert.Equal(Environment.UserName, purged.UserName);
        }

        await Catalog.Store.Advanced.Clean.DeleteDocumentsByTypeAsync(typeof(Projections.Views.AssetView<Domain.Assets.ImageMetadata>));
        var rebuild = await Run("rebuild");
        Assert.True(rebuild.Code == 0, rebuild.Err + rebuild.Out);
        await using var query = Catalog.Store.QuerySession();
        Assert.NotNull(await query.LoadAsync<Projections.Views.AssetView<Domain.Assets.ImageMetadata>>(kept));
        Assert.Null(await query.LoadAsync<Projections.Views.AssetView<Domain.Assets.ImageMetadata>>(id));
    }

    [Fact]
    public async Task hybrid_and_as_of_options()
    {
        var id = await Image("a.png");
        var instant = await Catalog.LatestEventAtAsync($"image:{id}");
        await Image("b.png", seed: 2);

        var export = await Run("export", "--out", "then.db", "--hybrid", "--as-of", instant.ToString("O"));
        Assert.True(export.Code == 0, export.Err + export.Out);
        Assert.Equal(TestMedia.Png(), await File.ReadAllBytesAsync(Out["data/images/a.png"]));
        Assert.False(File.Exists(Out["data/images/b.png"]));
    }
}
