using Microsoft.Playwright;

namespace Catalog.Gallery.Tests;

/// <summary>
/// A catalog where every read needs a key: the page asks for one, keeps it for the browser session only, and fetches
/// the thumbnails and media with it (an &lt;img&gt; cannot send a header: they become blob: URLs).
/// </summary>
public sealed class BrowsingWithAKey(KeyedGalleryApp app) : IClassFixture<KeyedGalleryApp>
{
    [Fact]
    public async Task the_page_asks_for_a_key_keeps_it_for_the_session_and_shows_the_grid_with_it()
    {
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            BaseURL = app.BaseUrl,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");

        await Assertions.Expect(page.Locator("#key-dialog")).ToBeVisibleAsync();
        await page.FillAsync("#key-input", GalleryApp.AdminKey);
        await page.ClickAsync("#key-save");
        await Assertions.Expect(page.Locator("#summary")).ToHaveTextAsync($"1–48 of {GalleryApp.ImageCount}");
        var first = page.Locator("#grid img").First;
        await page.WaitForFunctionAsync("(img) => img.complete && img.naturalWidth > 0", await first.ElementHandleAsync());
        Assert.StartsWith("blob:", await first.GetAttributeAsync("src"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(GalleryApp.Screenshots, "keyed-1280x800.png") });

        // Kept for the tab's session: a reload asks no more.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#summary")).ToHaveTextAsync($"1–48 of {GalleryApp.ImageCount}");
        Assert.False(await page.Locator("#key-dialog").IsVisibleAsync());

        // A new browser session (another context) starts without it.
        await using var later = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl });
        var again = await later.NewPageAsync();
        await again.GotoAsync("/");
        await Assertions.Expect(again.Locator("#key-dialog")).ToBeVisibleAsync();
    }
}
