using System.Diagnostics;
using Catalog.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Api.Tests.Portable;

/// <summary>
/// An <c>assets.db</c> the project did not write — made by the <c>sqlite3</c> shell from the seed's DDL
/// (<see cref="RealWorldAssetsDb"/>) — turned partly hybrid by the shell too: two rows' bytes written out to
/// <c>data/{table}/</c> beside it with their <c>binary_data</c> set NULL, and one row whose bytes are nowhere.
/// </summary>
public sealed class PortableFile : IAsyncLifetime
{
    private readonly TempDirectory _folder = new("catalog-portable-");

    public string Folder => _folder.Path;
    public string Path { get; private set; } = "";

    /// <summary>A copy made before the file went hybrid: every row's bytes inline (what a catalog can import).</summary>
    public string Inline { get; private set; } = "";

    /// <summary>The SHA-256 of every row's bytes, by "table/id", as the shell wrote them.</summary>
    public Dictionary<string, string> Sha256 { get; } = new();

    public async Task InitializeAsync()
    {
        Path = await RealWorldAssetsDb.CreateAsync(Folder);
        Inline = _folder["inline.db"];
        File.Copy(Path, Inline);
        foreach (var table in new[] { "images", "videos", "audio" })
        foreach (var row in RealWorldAssetsDb.Rows(Path, table))
        {
            var columns = row.Split(" | ").Select(c => c.Split('=', 2)).ToDictionary(c => c[0], c => c[1]);
            Sha256[$"{table}/{columns["id"]}"] = columns["binary_data"];
        }

        Directory.CreateDirectory(_folder["data/videos"]);
        Directory.CreateDirectory(_folder["data/audio"]);
        await Sqlite3(Path, """
            SELECT writefile('data/videos/' || filename, binary_data) FROM videos WHERE id = 5;
            UPDATE videos SET binary_data = NULL WHERE id = 5;
            SELECT writefile('data/audio/' || filename, binary_data) FROM audio WHERE id = 4;
            UPDATE audio SET binary_data = NULL, file_size = NULL WHERE id = 4;
            INSERT INTO images (id, filename, production_id, image_type, prompt, created_at, mime_type)
              VALUES (13, 'lost.png', 'prod_mv1', 'generated', 'a frame nobody kept', '2024-05-02 00:00:00', 'image/png');
            VACUUM;
            """, Folder);
    }

    /// <summary>Runs the sqlite3 shell on a database with the given input, in <paramref name="folder"/>; it must succeed.</summary>
    public static async Task Sqlite3(string database, string input, string folder)
    {
        var start = new ProcessStartInfo("sqlite3", [database])
        {
            RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = folder,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0 && errors.Length == 0, $"sqlite3: {errors}");
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The API in portable mode (<c>Catalog:AssetsDb</c>) on a file: no PostgreSQL anywhere.</summary>
public sealed class PortableApp(string assetsDb, string dataDirectory, IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Catalog:AssetsDb", assetsDb);
        builder.UseSetting("Catalog:DataDirectory", dataDirectory);
        builder.UseSetting("ConnectionStrings:Catalog", "Host=127.0.0.1;Port=1;Database=nowhere"); // never used: nothing may reach for it
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter>(new Infrastructure.FromLoopback()));
    }
}
