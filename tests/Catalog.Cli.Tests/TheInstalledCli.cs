using System.Diagnostics;
using Catalog.Testing;
using Microsoft.Data.Sqlite;

namespace Catalog.Cli.Tests;

/// <summary>
/// The installed command line (README, "Installing it"): <c>dotnet publish src/Catalog.Cli</c> once per test run, then every
/// test of <see cref="CliTests"/> through its <c>catalog</c> — native code (Native AOT) that runs export, verify and keys
/// itself and hands what needs Marten's store to <c>store/catalog</c>, its ReadyToRun twin — and what only this build has.
/// </summary>
public sealed class TheInstalledCli(CatalogFixture fixture) : CliTests(fixture)
{
    protected override ProcessStartInfo Program(string[] args) => new(Published.Value.GetAwaiter().GetResult(), args);

    /// <summary>The published <c>catalog</c>, made once per test run (a few minutes: two builds, one of them native).</summary>
    private static readonly Lazy<Task<string>> Published = new(() => Task.Run(PublishAsync));

    private static async Task<string> PublishAsync()
    {
        var output = Path.Combine(AppContext.BaseDirectory, "installed-cli");
        var (code, stdout, stderr) = await Run(new ProcessStartInfo(
            "dotnet", ["publish", Path.Combine(Repository.Root, "src", "Catalog.Cli"), "-o", output, "-nodeReuse:false"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }, minutes: 30);
        if (code != 0) throw new InvalidOperationException($"dotnet publish failed ({code}):\n{stdout}{stderr}");
        return Path.Combine(output, "catalog");
    }

    /// <summary>
    /// A copy of the native <c>catalog</c> without its twin beside it: export, verify and keys work (they never need the
    /// twin), and a command that needs Marten's store says what is missing instead of failing somewhere inside.
    /// </summary>
    [Fact]
    public async Task export_verify_and_keys_run_in_native_code_and_the_rest_is_handed_to_the_twin()
    {
        await Catalog.CreateProductionAsync("prod_cli");
        await Image("a.png", "prod_cli");
        var audio = await Audio("c.wav", "prod_cli");
        // The production view's nullable numbers filled, read by the generated JSON contract in native code.
        await Catalog.SendAsync(new Domain.Productions.AttachProductionAudio("prod_cli", audio, "c.wav", 2.5));
        var installed = await Published.Value;
        Assert.Equal(0, (await Run("export", "--out", "first.db")).Code); // the twin stamps the schema as the published build's

        var alone = Directory.CreateDirectory(Out["alone"]).FullName;
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(installed)!).Where(f => f == installed || f.EndsWith(".so") || f.Contains(".so.")))
            File.Copy(file, Path.Combine(alone, Path.GetFileName(file)));
        ProcessStartInfo Alone(params string[] args)
        {
            var start = Start(args);
            start.FileName = Path.Combine(alone, "catalog");
            return start;
        }

        var export = await Run(Alone("export", "--out", "native.db"));
        Assert.True(export.Code == 0, export.Err + export.Out);
        Assert.Contains("images  1", export.Out);
        Assert.Contains("audio  1", export.Out);
        await using (var db = new SqliteConnection($"Data Source={Out["native.db"]};Mode=ReadOnly"))
        {
            await db.OpenAsync();
            await using var command = db.CreateCommand();
            command.CommandText = "select binary_data from images where filename = 'a.png'";
            Assert.Equal(TestMedia.Png(), (byte[])(await command.ExecuteScalarAsync())!);
            command.CommandText = "select audio_filename || ' ' || audio_duration from productions where id = 'prod_cli'";
            Assert.Equal("c.wav 2.5", await command.ExecuteScalarAsync());
        }
        var verify = await Run(Alone("verify", "native.db"));
        Assert.True(verify.Code == 0, verify.Err + verify.Out);
        Assert.Contains("OK", verify.Out);
        var key = await Run(Alone("keys", "add", "native-bot", "--role", "read"));
        Assert.True(key.Code == 0, key.Err + key.Out);
        Assert.Matches(@"native-bot\s+read\s+no", (await Run(Alone("keys", "list"))).Out);

        foreach (var needsStore in new[] { new[] { "rebuild" }, ["export", "--out", "then.db", "--as-of", DateTimeOffset.UtcNow.ToString("O")] })
        {
            var handed = await Run(Alone(needsStore));
            Assert.True(handed.Code == 2, handed.Err + handed.Out);
            Assert.Contains("store/catalog is missing", handed.Err);
        }
        Assert.False(File.Exists(Out["then.db"]));
    }
}
