using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace Catalog.Gallery.Tests;

/// <summary>The gallery page at <c>/</c>, opened in headless Chromium at a desktop's and a phone's width.</summary>
[Collection(GalleryCollection.Name)]
public sealed partial class BrowsingTheGallery(GalleryApp app) : IAsyncLifetime
{
    private const int PageSize = 48;
    private IBrowserContext _context = null!;
    private IPage _page = null!;
    private readonly List<string> _requests = [];

    public async Task InitializeAsync() => await OpenAsync(1280, 800);

    private async Task OpenAsync(int width, int height)
    {
        if (_context is not null) await _context.DisposeAsync();
        _context = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            BaseURL = app.BaseUrl,
            AcceptDownloads = true,
        });
        _page = await _context.NewPageAsync();
        _page.Request += (_, request) => { lock (_requests) _requests.Add(new Uri(request.Url).PathAndQuery); };
        await _page.GotoAsync("/");
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task the_grid_fills_with_thumbnails_and_fetches_no_original(int width, int height)
    {
        await OpenAsync(width, height);
        await Expect(_page.Locator("#summary")).ToHaveTextAsync($"1–{PageSize} of {GalleryApp.ImageCount}");
        await _page.Locator("#grid img").Last.ScrollIntoViewIfNeededAsync();
        await AllPicturesShownAsync("#grid img", PageSize);

        var thumbnails = Requests(ThumbnailRequest());
        Assert.Equal(PageSize, thumbnails.Distinct().Count());
        Assert.Empty(Requests(OriginalRequest())); // the grid never downloads a full-size image
        Assert.Equal("neon skyline at 1920 wide, webp", await _page.Locator("#grid img").First.GetAttributeAsync("alt"));
        await ScreenshotAsync($"grid-{width}x{height}");

        await _page.ClickAsync("#next");
        await Expect(_page.Locator("#summary")).ToHaveTextAsync($"49–{GalleryApp.ImageCount} of {GalleryApp.ImageCount}");
        await AllPicturesShownAsync("#grid img", GalleryApp.ImageCount - PageSize);
        Assert.Empty(Requests(OriginalRequest()));
    }

    [Fact]
    public async Task at_a_phones_width_the_grid_has_two_columns_and_the_detail_the_whole_screen()
    {
        await OpenAsync(390, 844);
        await AllPicturesShownAsync("#grid img", PageSize);
        var boxes = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => _page.Locator("#grid .card").Nth(i).BoundingBoxAsync()));
        Assert.Equal(boxes[0]!.Y, boxes[1]!.Y);
        Assert.True(boxes[2]!.Y > boxes[0]!.Y + boxes[0]!.Height - 1, "the third card starts a second row");
        Assert.True(boxes[1]!.X + boxes[1]!.Width <= 390, "no card is cut off at the right");

        await _page.Locator("#grid .card").First.ClickAsync();
        await Expect(_page.Locator("#detail-title")).ToHaveTextAsync("still-1920.webp");
        var panel = await _page.Locator("#detail").BoundingBoxAsync();
        Assert.Equal(390, panel!.Width, 1.0);
        await ScreenshotAsync("detail-390x844");
    }

    [Fact]
    public async Task filtering_by_type_and_searching_narrow_the_grid()
    {
        await AllPicturesShownAsync("#grid img", PageSize);
        var references = app.Images.Count(i => i.GetProperty("image_type").GetString() == "reference");

        await _page.SelectOptionAsync("#filter", "reference");
        await Expect(_page.Locator("#summary")).ToHaveTextAsync($"1–{references} of {references}");
        Assert.Contains(Requests("/api/gallery/images?"), r => r.Contains("type=reference"));

        await _page.SelectOptionAsync("#filter", "storyboard frame"); // a type outside the seed's list, with a space
        await Expect(_page.Locator("#summary")).ToHaveTextAsync("1–6 of 6");

        await _page.FillAsync("#q", "Van Williams");
        await _page.PressAsync("#q", "Enter");
        // The production itself, and every asset of it (found by its artist): 6 stills, the moved frame, a clip, a track.
        await Expect(_page.Locator("#summary")).ToHaveTextAsync("1–10 of 10 results for “Van Williams”");
        await Expect(_page.Locator("#grid .card.production")).ToHaveCountAsync(1);
        await ScreenshotAsync("search-1280x800");

        await _page.ClickAsync("#tab-videos");
        await Expect(_page.Locator("#summary")).ToHaveTextAsync("1–2 of 2");
        await AllPicturesShownAsync("#grid img", 2);
    }

    [Fact]
    public async Task a_detail_shows_the_preview_metadata_production_and_history_and_escape_closes_it()
    {
        var moved = app.Images[0];
        await _page.ClickAsync("#next");
        var card = _page.Locator($"#grid .card[data-id='{moved.GetProperty("id").GetInt64()}']");
        await card.ClickAsync();

        await Expect(_page.Locator("#detail-title")).ToHaveTextAsync("frame-000.png");
        await AllPicturesShownAsync("#detail-body img.preview", 1);
        Assert.Contains(Requests("/preview"), r => r.EndsWith($"/image/{moved.GetProperty("id").GetInt64()}/preview"));
        var history = _page.Locator("#detail-body .history li");
        await Expect(history).ToHaveCountAsync(2);
        await Expect(history.Nth(0)).ToContainTextAsync("image.registered");
        await Expect(history.Nth(1)).ToContainTextAsync($"Why: {GalleryApp.MovedReason}");
        await Expect(_page.Locator("#detail-body dl")).ToContainTextAsync("frame 0 of a rainy street");
        await ScreenshotAsync("detail-1280x800");

        await _page.Keyboard.PressAsync("Escape");
        await Expect(_page.Locator("#detail")).ToBeHiddenAsync();
        Assert.Equal(moved.GetProperty("id").GetInt64().ToString(), await _page.EvaluateAsync<string>("document.activeElement.dataset.id"));

        // The production link, by keyboard: its view groups the assets by kind and shows the status.
        await _page.Keyboard.PressAsync("Enter");
        await _page.Locator("#detail-body button.link").FocusAsync();
        await _page.Keyboard.PressAsync("Enter");
        await Expect(_page.Locator("#detail-title")).ToHaveTextAsync("Night Drive");
        await Expect(_page.Locator("#detail-body .badge")).ToHaveTextAsync("draft");
        await Expect(_page.Locator("#detail-body .kind-group h3")).ToHaveTextAsync(["Images (7)", "Videos (1)", "Audio (1)"]);
        await ScreenshotAsync("production-1280x800");
    }

    [Fact]
    public async Task the_tabs_follow_the_arrow_keys()
    {
        await _page.FocusAsync("#tab-images");
        await _page.Keyboard.PressAsync("ArrowRight");
        await Expect(_page.Locator("#tab-videos")).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(_page.Locator("#tab-videos")).ToBeFocusedAsync();
        await _page.Keyboard.PressAsync("ArrowRight");
        await Expect(_page.Locator("#summary")).ToHaveTextAsync("1–2 of 2"); // audio
        await _page.Keyboard.PressAsync("ArrowRight");
        await Expect(_page.Locator("#grid .card.production")).ToHaveCountAsync(1);
        await Expect(_page.Locator("#filter-label")).ToHaveTextAsync("Status");
    }

    [Fact]
    public async Task a_tab_chosen_while_the_first_list_is_still_loading_keeps_its_own_list()
    {
        // The images' list is held back until the videos' list has been drawn, then let through: a user who clicks a tab
        // before the first page has loaded must go on seeing that tab's grid, not the list that answered last.
        var release = new TaskCompletionSource();
        await _page.RouteAsync("**/api/gallery/images?*", async route => { await release.Task; await route.ContinueAsync(); });
        await _page.ReloadAsync();
        await _page.ClickAsync("#tab-videos");
        await Expect(_page.Locator("#summary")).ToHaveTextAsync("1–2 of 2");
        await Expect(_page.Locator("#grid .card[data-kind='video']")).ToHaveCountAsync(2);

        var late = _page.WaitForResponseAsync(r => r.Url.Contains("/api/gallery/images?"));
        release.SetResult();
        await (await late).FinishedAsync();
        await _page.WaitForTimeoutAsync(500); // the page's own handling of that answer
        await Expect(_page.Locator("#summary")).ToHaveTextAsync("1–2 of 2");
        await Expect(_page.Locator("#grid .card")).ToHaveCountAsync(2);
        await Expect(_page.Locator("#grid .card[data-kind='image']")).ToHaveCountAsync(0);
        Assert.Equal("false", await _page.Locator("#grid").GetAttributeAsync("aria-busy"));
    }

    [Fact]
    public async Task a_video_plays_inline_and_seeks_through_byte_ranges()
    {
        var clip = app.Videos[0];
        await _page.ClickAsync("#tab-videos");
        await _page.Locator($"#grid .card[data-id='{clip.GetProperty("id").GetInt64()}']").ClickAsync();
        var video = _page.Locator("#detail-body video");
        await Expect(video).ToHaveAttributeAsync("poster", clip.GetProperty("preview_url").GetString()!);

        var times = await video.EvaluateAsync<double[]>("""
            async (v) => {
              if (v.readyState < 1) await new Promise(r => v.addEventListener('loadedmetadata', r, { once: true }));
              v.muted = true;
              await v.play();
              const seeked = new Promise(r => v.addEventListener('seeked', r, { once: true }));
              v.currentTime = 1.5;
              await seeked;
              const after = v.currentTime;
              await new Promise(r => setTimeout(r, 700));
              return [after, v.currentTime, v.duration];
            }
            """);
        Assert.True(times[0] >= 1.5, $"seeked to {times[0]}");
        Assert.True(times[1] > times[0], $"currentTime advanced from {times[0]} to {times[1]}");
        Assert.Equal(3, times[2], 0.2);
        await ScreenshotAsync("video-1280x800");
    }

    [Fact]
    public async Task the_audio_detail_has_its_waveform_and_a_player()
    {
        await _page.ClickAsync("#tab-audio");
        await AllPicturesShownAsync("#grid img", 2);
        await _page.Locator($"#grid .card[data-id='{app.Audio[0].GetProperty("id").GetInt64()}']").ClickAsync();
        await AllPicturesShownAsync("#detail-body img.preview", 1);
        var duration = await _page.Locator("#detail-body audio").EvaluateAsync<double>("""
            async (a) => { if (a.readyState < 1) await new Promise(r => a.addEventListener('loadedmetadata', r, { once: true })); return a.duration; }
            """);
        Assert.Equal(3, duration, 0.1);
    }

    [Fact]
    public async Task the_export_button_asks_for_a_key_shows_progress_and_offers_the_download()
    {
        await _page.ClickAsync("#export");
        // Writes need a key even from this machine: the page asks for one.
        await Expect(_page.Locator("#key-dialog")).ToBeVisibleAsync();
        await _page.FillAsync("#key-input", GalleryApp.AdminKey);
        await _page.ClickAsync("#key-save");

        var link = _page.Locator("#export-download");
        await Expect(link).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await ScreenshotAsync("export-1280x800");
        var download = await _page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        var file = Path.Combine(Path.GetTempPath(), $"gallery-export-{Guid.NewGuid():N}.db");
        await download.SaveAsAsync(file);
        try
        {
            await using var db = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
            await db.OpenAsync();
            await using var command = db.CreateCommand();
            command.CommandText = "select (select count(*) from images), (select count(*) from videos), (select count(*) from audio)";
            await using (var reader = await command.ExecuteReaderAsync())
            {
                await reader.ReadAsync();
                Assert.Equal(((long)GalleryApp.ImageCount, 2L, 2L), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
            }

            await using var blob = db.CreateCommand();
            blob.CommandText = "select binary_data from images where filename = 'still-1920.jpeg'";
            var bytes = (byte[])(await blob.ExecuteScalarAsync())!;
            var expected = app.Images.Single(i => i.GetProperty("filename").GetString() == "still-1920.jpeg").GetProperty("sha256").GetString();
            Assert.Equal(expected, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    private async Task AllPicturesShownAsync(string selector, int count)
    {
        var pictures = _page.Locator(selector);
        await Expect(pictures).ToHaveCountAsync(count);
        for (var i = 0; i < count; i++)
        {
            var picture = pictures.Nth(i);
            await picture.ScrollIntoViewIfNeededAsync();
            await _page.WaitForFunctionAsync("(img) => img.complete && img.naturalWidth > 0", await picture.ElementHandleAsync());
        }
    }

    private List<string> Requests(string containing)
    {
        lock (_requests) return _requests.Where(r => r.Contains(containing, StringComparison.Ordinal)).ToList();
    }

    private List<string> Requests(Regex pattern)
    {
        lock (_requests) return _requests.Where(r => pattern.IsMatch(r)).ToList();
    }

    private Task ScreenshotAsync(string name) =>
        _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(GalleryApp.Screenshots, name + ".png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    [GeneratedRegex(@"^/api/media/image/\d+$")]
    private static partial Regex OriginalRequest();

    [GeneratedRegex(@"^/api/media/image/\d+/thumbnail$")]
    private static partial Regex ThumbnailRequest();
}
