using System.Net;
using Catalog.Api.Tests.Faults;
using Catalog.Testing;

namespace Catalog.Api.Tests.Hosting;

/// <summary>
/// The service reads its settings once, at the start, and watches no folder: run as the README runs it (from a folder that
/// holds ./catalog-data), a watcher over that folder would read an event for every blob an import writes.
/// </summary>
public sealed class WatchingNothing
{
    [Fact]
    public async Task run_from_the_folder_that_holds_its_catalog_the_service_watches_no_file()
    {
        var database = await TestPostgres.CreateDatabaseAsync("catalog_watching_nothing");
        using var folder = new TempDirectory("catalog-watching-nothing-");
        await using var service = await ServiceProcess.StartAsync(database, Path.Combine(folder.Path, "catalog-data"), workingDirectory: folder.Path);

        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(TestMedia.Png(16, 16)), "file", "watched.png" },
            { new StringContent("generated"), "image_type" },
        };
        Assert.Equal(HttpStatusCode.Created, (await service.Client.PostAsync("/api/images", form)).StatusCode);

        Assert.Equal(0, InotifyWatches(service.ProcessId));
    }

    /// <summary>The inotify watches a process holds (Linux: each is a line <c>inotify wd:…</c> of its inotify descriptors' fdinfo).</summary>
    private static int InotifyWatches(int processId) =>
        new DirectoryInfo($"/proc/{processId}/fd").GetFiles()
            .Where(fd => fd.LinkTarget == "anon_inode:inotify")
            .Sum(fd => File.ReadLines($"/proc/{processId}/fdinfo/{fd.Name}").Count(line => line.StartsWith("inotify wd:", StringComparison.Ordinal)));
}
