using System.Diagnostics;
using System.Net;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Testing;
using Xunit.Abstractions;

namespace Catalog.Api.Tests.Faults;

/// <summary>
/// The blob store on a 4 MiB file system (a tmpfs in the service's own mount namespace): an upload that does not fit is
/// a 507 that keeps nothing — no half-written bytes, no event — and the service takes the next one that fits.
/// </summary>
public sealed class FillingTheDisk(ITestOutputHelper output)
{
    [Fact]
    public async Task an_upload_that_does_not_fit_is_a_507_and_leaves_nothing_half_written()
    {
        if (await MountNamespaceUnavailableAsync() is { } why)
        {
            // Not covered on this machine (see the README, "Tests"): it cannot make a private mount namespace.
            output.WriteLine($"not covered here: {why}");
            return;
        }

        var database = await TestPostgres.CreateDatabaseAsync("catalog_disk");
        using var data = new TempDirectory("catalog-disk-");
        var blobs = Path.Combine(data.Path, "blobs");
        Directory.CreateDirectory(blobs);
        await using var service = await ServiceProcess.StartAsync(database, data.Path, Wrapper(blobs));

        var tooBig = TestMedia.NoisyPng(1400, 1400, seed: 1); // ~5.9 MB
        var response = await service.Client.Register("images", tooBig, "big.png", new Dictionary<string, string> { ["image_type"] = "generated" });
        Assert.Contains("storage is full", await response.Problem(HttpStatusCode.InsufficientStorage));

        // Inside the service's namespace (as it sees its files): nothing staged remains, and no bytes were kept.
        var seen = $"/proc/{service.ProcessId}/root{blobs}";
        Assert.Equal([], Directory.GetFiles(seen, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)));
        Assert.Equal(0, (await service.Client.GetJson("/api/gallery/images")).Long("total"));

        var fits = TestMedia.NoisyPng(300, 300, seed: 2);
        var image = await (await service.Client.Register("images", fits, "fits.png", new Dictionary<string, string> { ["image_type"] = "generated" }))
            .Json(HttpStatusCode.Created);
        Assert.Equal(fits, await service.Client.GetByteArrayAsync($"/api/media/image/{image.Long("id")}"));
    }

    /// <summary>The service under <c>unshare</c>: its own mount namespace, where its blob store is a 4 MiB tmpfs.</summary>
    private static string[] Wrapper(string blobs) =>
        ["unshare", .. Unshare, "sh", "-c", $"mount -t tmpfs -o size=4m tmpfs '{blobs}' && exec \"$@\"", "sh"];

    /// <summary>A private mount namespace: as root directly, otherwise inside a user namespace where this user is root.</summary>
    private static readonly string[] Unshare = Environment.UserName == "root"
        ? ["--mount", "--propagation", "private"]
        : ["--user", "--map-root-user", "--mount"];

    private static async Task<string?> MountNamespaceUnavailableAsync()
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo("unshare", [.. Unshare, "true"])
            {
                RedirectStandardError = true,
            })!;
            var error = await probe.StandardError.ReadToEndAsync();
            await probe.WaitForExitAsync();
            return probe.ExitCode == 0 ? null : $"unshare failed ({probe.ExitCode}): {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"unshare is not installed: {e.Message}";
        }
    }
}
