using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Catalog.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Catalog.Gallery.Tests;

/// <summary>
/// The real API listening on a free loopback port (Kestrel, not the in-memory test server: a browser must reach it),
/// on a PostgreSQL database of its own, with a catalog of real media loaded through the API: 52 images (PNG, JPEG and
/// WebP at 1024×576 and 1920×1080, and small PNGs), two clips (H.264 MP4, VP9 WebM), two tracks (WAV, MP3), one
/// production. And one headless Chromium for the tests.
/// </summary>
public class GalleryApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminKey = "gallery-admin-key-0123456789abcdefghij";
    public const string ProductionId = "prod_night";
    public const int ImageCount = 52;
    public const string MovedReason = "belongs to the night drive storyboard";

    private readonly TempDirectory _data = new("catalog-gallery-test-");
    private string _connectionString = "";
    private IPlaywright? _playwright;

    public string BaseUrl { get; private set; } = "";
    public IBrowser Browser { get; private set; } = null!;
    public HttpClient Api { get; private set; } = null!;

    /// <summary>What was loaded, by kind: the API's answers to the uploads.</summary>
    public List<JsonElement> Images { get; } = [];
    public List<JsonElement> Videos { get; } = [];
    public List<JsonElement> Audio { get; } = [];

    /// <summary>Where the screenshots go: <c>TestResults/gallery/</c> at the repository root (kept by CI as artifacts).</summary>
    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(Repository.Root, "TestResults", "gallery")).FullName;

    public async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateDatabaseAsync("catalog_gallery");
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Api = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        await LoadCatalogAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CATALOG_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
        });
    }

    /// <summary><c>Catalog:AnonymousReads</c>: loopback (the default: this machine browses without a key) or none.</summary>
    protected virtual string AnonymousReads => "loopback";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Catalog:AnonymousReads", AnonymousReads);
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Catalog", _connectionString);
        builder.UseSetting("Catalog:DataDirectory", _data.Path);
        builder.UseSetting("Catalog:RehearseImport", "false"); // the start's rehearsal of an import: tested in RehearsingAnImport
        builder.UseSetting("Catalog:StatsCacheSeconds", "0");
        builder.UseSetting("Catalog:AdminKey", AdminKey);
        builder.UseSetting("Urls", "http://127.0.0.1:0");
    }

    private async Task LoadCatalogAsync()
    {
        (await Api.PostAsJsonAsync("/api/productions", new { id = ProductionId, title = "Night Drive", artist = "Van Williams" })).EnsureSuccessStatusCode();

        // Newest first in the grid: the small frames go in first, the large photo-like images last (the first screen).
        for (var i = 0; i < ImageCount - 6; i++)
            Images.Add(await RegisterAsync("images", TestMedia.Png(160, 90, seed: i), $"frame-{i:D3}.png",
                new() { ["image_type"] = i % 3 == 0 ? "reference" : "generated", ["prompt"] = $"frame {i} of a rainy street" }));
        foreach (var (format, width, height) in new[] { ("png", 1024, 576), ("jpeg", 1024, 576), ("webp", 1024, 576), ("png", 1920, 1080), ("jpeg", 1920, 1080), ("webp", 1920, 1080) })
            Images.Add(await RegisterAsync("images", TestMedia.Photo(format, width, height), $"still-{width}.{format}",
                new() { ["image_type"] = "storyboard frame", ["prompt"] = $"neon skyline at {width} wide, {format}", ["production_id"] = ProductionId }));

        Videos.Add(await RegisterAsync("videos", await File.ReadAllBytesAsync(TestMedia.Fixture("clip-720p-24fps-3s.mp4")), "drive.mp4",
            new() { ["video_type"] = "clip", ["prompt"] = "the car drives into the night", ["production_id"] = ProductionId }));
        Videos.Add(await RegisterAsync("videos", await File.ReadAllBytesAsync(TestMedia.Fixture("clip-480p-25fps-2s.webm")), "rain.webm",
            new() { ["video_type"] = "lyric video", ["prompt"] = "rain on the windscreen" }));
        Audio.Add(await RegisterAsync("audio", TestMedia.Wav(seconds: 3), "theme.wav", new() { ["audio_type"] = "original", ["production_id"] = ProductionId }));
        Audio.Add(await RegisterAsync("audio", await File.ReadAllBytesAsync(TestMedia.Fixture("tone-44100-2s-vbr.mp3")), "stem.mp3", new() { ["audio_type"] = "stem" }));

        // A change with a reason, for the history panel.
        var moved = new HttpRequestMessage(HttpMethod.Put, $"/api/images/{Images[0].GetProperty("id").GetInt64()}/production")
        {
            Content = JsonContent.Create(new { production_id = ProductionId }),
        };
        moved.Headers.Add("X-Reason", MovedReason);
        (await Api.SendAsync(moved)).EnsureSuccessStatusCode();
    }

    private async Task<JsonElement> RegisterAsync(string table, byte[] bytes, string fileName, Dictionary<string, string> fields)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        var response = await Api.PostAsync($"/api/{table}", form);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        Api?.Dispose();
        await base.DisposeAsync();
        _data.Dispose();
    }
}

/// <summary>The same catalog where every read needs a key (<c>Catalog:AnonymousReads=none</c>).</summary>
public sealed class KeyedGalleryApp : GalleryApp
{
    protected override string AnonymousReads => "none";
}

[CollectionDefinition(Name)]
public sealed class GalleryCollection : ICollectionFixture<GalleryApp>
{
    public const string Name = "gallery";
}
