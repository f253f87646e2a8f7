using System.Diagnostics;
using Catalog.Infrastructure.Access;
using Catalog.Testing;
using Marten;

namespace Catalog.Cli.Tests;

/// <summary>The command line as <c>dotnet run</c> and the tests build it (<c>dotnet catalog.dll</c>): every command in one process.</summary>
public sealed class TheCli(CatalogFixture fixture) : CliTests(fixture)
{
    protected override ProcessStartInfo Program(string[] args) =>
        new("dotnet", [Path.Combine(AppContext.BaseDirectory, "catalog.dll"), .. args]);
}

/// <summary>
/// The command line, run as a user runs it: a process, configured by environment variables, judged by exit code and output.
/// Every test runs against both builds of the program: the ordinary one (<see cref="TheCli"/>) and the installed one
/// (<see cref="TheInstalledCli"/>: native code, handing what needs Marten's store to its ReadyToRun twin).
/// </summary>
public abstract partial class CliTests(CatalogFixture fixture) : CatalogTest(fixture)
{
    /// <summary>The program and its first arguments, for these arguments.</summary>
    protected abstract ProcessStartInfo Program(string[] args);

    protected Task<(int Code, string Out, string Err)> Run(params string[] args) => Run(Start(args));

    /// <param name="minutes">How long the process may take.</param>
    protected static async Task<(int Code, string Out, string Err)> Run(ProcessStartInfo start, int minutes = 2)
    {
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(minutes));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    protected ProcessStartInfo Start(params string[] args)
    {
        var start = Program(args);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = Out.Path;
        start.Environment["ConnectionStrings__Catalog"] = Catalog.ConnectionString;
        start.Environment["Catalog__DataDirectory"] = Catalog.DataDirectory;
        return start;
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
    public async Task a_server_that_does_not_answer_is_one_clear_error_not_a_crash()
    {
        var start = Start("export", "--out", "assets.db");
        start.Environment["ConnectionStrings__Catalog"] = "Host=127.0.0.1;Port=1;Username=catalog;Password=not-to-be-shown;Database=catalog";

        var (code, stdout, stderr) = await Run(start);

        Assert.True(code == 2, $"exit {code}: {stderr}{stdout}");
        Assert.Contains("PostgreSQL at 127.0.0.1:1 (database catalog", stderr);
        Assert.Contains("refused", stderr);
        Assert.DoesNotContain("Unhandled exception", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.DoesNotContain("not-to-be-shown", stderr + stdout);
        Assert.False(File.Exists(Out["assets.db"]));
    }

    /// <summary>
    /// The CLI checks the schema with one query and builds Marten's store only when it must: a database last brought up to date by
    /// another build (an index of the catalog's missing, say) is brought up to date before the export reads it.
    /// </summary>
    [Fact]
    public async Task a_schema_applied_by_another_build_is_applied_again_before_the_export()
    {
        await Catalog.CreateProductionAsync("prod_cli");
        await Image("a.png", "prod_cli");
        await Sql($"update {Projections.CatalogStore.SchemaName}.catalog_schema_state set build = 'another build'; " +
                  $"drop index {Projections.CatalogStore.SchemaName}.{Projections.Views.QuerySchema.EventsTimestampIndex}");

        var export = await Run("export", "--out", "assets.db");
        Assert.True(export.Code == 0, export.Err + export.Out);
        Assert.Contains("images  1", export.Out);
        Assert.NotEqual("another build", await Sql($"select build from {Projections.CatalogStore.SchemaName}.catalog_schema_state"));
        Assert.Equal(1L, await Sql($"select count(*) from pg_indexes where indexname = '{Projections.Views.QuerySchema.EventsTimestampIndex}'"));

        // And with the schema current, the export reads the views without a store: the same rows.
        var again = await Run("export", "--out", "again.db", "--production", "prod_cli");
        Assert.True(again.Code == 0, again.Err + again.Out);
        Assert.Contains("images  1", again.Out);
    }

    protected async Task<object?> Sql(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(Catalog.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    [Fact]
    public async Task keys_are_made_listed_and_revoked_in_the_data_directory_the_service_reads()
    {
        var made = await Run("keys", "add", "ci-bot", "--role", "write", "--acts-for-others");
        Assert.True(made.Code == 0, made.Err + made.Out);
        var secret = System.Text.RegularExpressions.Regex.Match(made.Out, "cat_[A-Za-z0-9_-]{43}").Value;
        Assert.NotEmpty(secret);

        var store = new ApiKeyStore(Catalog.DataDirectory, TimeProvider.System);
        var key = store.Authenticate(secret);
        Assert.Equal(("ci-bot", ApiKeyRole.Write, true), (key?.Name, key?.Role, key?.ActsForOthers));
        Assert.DoesNotContain(secret, await File.ReadAllTextAsync(store.FilePath));

        var listed = await Run("keys", "list");
        Assert.Matches(@"ci-bot\s+write\s+yes", listed.Out);
        Assert.DoesNotContain(secret, listed.Out);

        Assert.Equal(0, (await Run("keys", "revoke", "ci-bot")).Code);
        Assert.Null(store.Authenticate(secret));
        Assert.Contains("revoked", (await Run("keys", "list")).Out);

        var again = await Run("keys", "revoke", "ci-bot");
        Assert.Equal(2, again.Code);
        Assert.Contains("no key named 'ci-bot'", again.Err);
        Assert.Contains("not a role", (await Run("keys", "add", "x", "--role", "root")).Err);
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
        await Catalog.SendAsync(new Domain.Assets.DeleteAsset<Domain.Assets.ImageMetadata>(id));
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

    [Fact]
    public async Task import_fs_reports_each_file_and_exits_1_when_something_was_left_out_then_import_db_takes_an_export()
    {
        Directory.CreateDirectory(Out["old/data/images"]);
        File.WriteAllBytes(Out["old/data/images/a.png"], TestMedia.Png(1024, 576));
        File.WriteAllText(Out["old/data/images/readme.png"], "not an image");

        var import = await Run("import-fs", "--root", "old");
        Assert.True(import.Code == 1, import.Err + import.Out);
        Assert.Contains("unrecognised data/images/readme.png: not an image, video or audio format", import.Out.Replace("  ", " "));
        Assert.Contains("import: 100%  2/2 files", import.Out);
        Assert.Matches(@"registered\s+1", import.Out);
        Assert.Matches(@"unrecognised\s+1", import.Out);
        Assert.Contains("MB/s", import.Out);
        Assert.Contains("Not everything was imported", import.Err);

        File.Delete(Out["old/data/images/readme.png"]);
        var again = await Run("import-fs", "--root", "old", "--delete-source");
        Assert.True(again.Code == 0, again.Err + again.Out);
        Assert.Matches(@"skipped \(already in the catalog\)\s+1", again.Out);
        Assert.False(File.Exists(Out["old/data/images/a.png"]));

        Assert.Equal(0, (await Run("export", "--out", "backup/assets.db")).Code);
        await Catalog.ResetAsync();
        var restore = await Run("import-db", "backup/assets.db");
        Assert.True(restore.Code == 0, restore.Err + restore.Out);
        Assert.Equal("1024x576", (await One("a.png")).Metadata.Size);

        // Any type is taken as it is written (trimmed), within the text rules.
        File.WriteAllBytes(Out["old/data/images/board.png"], TestMedia.Png(640, 360, seed: 3));
        var storyboard = await Run("import-fs", "--root", "old", "--image-type", " storyboard ");
        Assert.True(storyboard.Code == 0, storyboard.Err + storyboard.Out);
        Assert.Equal(("storyboard", "640x360"), ((await One("board.png")).Metadata.ImageType, (await One("board.png")).Metadata.Size));

        var wrong = await Run("import-fs", "--root", "old", "--image-type", new string('t', 65));
        Assert.Equal(2, wrong.Code);
        Assert.Contains("--image-type is longer than 64 characters", wrong.Err);
    }

    [Fact]
    public async Task an_import_killed_half_way_finishes_on_the_next_run_with_no_duplicates()
    {
        const int Files = 1000;
        Directory.CreateDirectory(Out["old/data/images"]);
        for (var i = 0; i < Files; i++) File.WriteAllBytes(Out[$"old/data/images/frame_{i:000}.png"], TestMedia.Png(160, 90, seed: i));

        // Every event insert waits at a gate once 100 events are in (10 batches of 10): the import is killed while it waits
        // there, with a batch's transaction open, however fast or slow the machine.
        await using (var gate = await EventsGate.CloseAsync(Catalog.ConnectionString, $"(select count(*) from {Projections.CatalogStore.SchemaName}.mt_events) >= 100"))
        {
            using var process = Process.Start(Start("import-fs", "--root", "old", "--parallel", "1", "--batch", "10"))!;
            var said = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
            try
            {
                await gate.HeldAsync(process.WaitForExitAsync().ContinueWith(async _ => string.Concat(await said)).Unwrap());
            }
            finally
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true); // SIGKILL: no clean-up of any kind
                await process.WaitForExitAsync();
            }
        }
        int before;
        await using (var session = Catalog.Store.QuerySession())
            before = await session.Query<Projections.Views.AssetView<Domain.Assets.ImageMetadata>>().CountAsync();
        Assert.InRange(before, Files / 10, Files - 1); // the gate opens no batch past the 100th event; killed before the end
        Assert.Equal(0, before % 10); // a batch is all in or all out: the one held at the gate was rolled back by the kill

        var rest = await Run("import-fs", "--root", "old");

        Assert.True(rest.Code == 0, rest.Err + rest.Out);
        Assert.Matches($@"registered\s+{Files - before:N0}\s", rest.Out);
        await using var query = Catalog.Store.QuerySession();
        var names = await query.Query<Projections.Views.AssetView<Domain.Assets.ImageMetadata>>().Select(x => x.Filename).ToListAsync();
        Assert.Equal(Enumerable.Range(0, Files).Select(i => $"frame_{i:000}.png"), names.Order());
        Assert.Equal(Files, await query.Events.QueryAllRawEvents().Where(e => e.StreamKey != Projections.CatalogStore.TombstoneStream).CountAsync());
    }

    private async Task<Projections.Views.AssetView<Domain.Assets.ImageMetadata>> One(string filename)
    {
        await using var session = Catalog.Store.QuerySession();
        return await session.Query<Projections.Views.AssetView<Domain.Assets.ImageMetadata>>().SingleAsync(x => x.Filename == filename);
    }
}
