using System.Net;
using Catalog.Api.Hosting;
using Catalog.Api.Tests.Faults;
using Catalog.Testing;

namespace Catalog.Api.Tests.Hosting;

/// <summary>
/// The service as its own process, run as the README runs it: from a folder that holds its <c>./catalog-data</c>.
/// </summary>
public sealed class TheServiceAtItsStart(TheServiceAtItsStart.Started started) : IClassFixture<TheServiceAtItsStart.Started>
{
    /// <summary>
    /// Once it listens, it asks itself first (<see cref="FirstRequest"/>): the endpoints and the router are built before
    /// anyone from outside waits for them.
    /// </summary>
    [Fact]
    public async Task once_listening_the_service_answers_its_own_request_before_anyone_asks()
    {
        var service = started.Service;
        var until = DateTime.UtcNow.AddMinutes(1);
        while (!service.Output.Contains("Endpoints ready") && DateTime.UtcNow < until) await Task.Delay(100);
        Assert.Contains($"(GET http://127.0.0.1:{service.Port}{FirstRequest.Route}) answered 200 in ", service.Output);
        Assert.DoesNotContain("first request from outside builds the endpoints", service.Output);
    }

    /// <summary>
    /// It reads its settings once, at the start, and watches no folder: a watcher over the folder it runs from would read an
    /// event for every blob an import writes.
    /// </summary>
    [Fact]
    public async Task run_from_the_folder_that_holds_its_catalog_the_service_watches_no_file()
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(TestMedia.Png(16, 16)), "file", "watched.png" },
            { new StringContent("generated"), "image_type" },
        };
        Assert.Equal(HttpStatusCode.Created, (await started.Service.Client.PostAsync("/api/images", form)).StatusCode);

        Assert.Equal(0, InotifyWatches(started.Service.ProcessId));
    }

    /// <summary>The inotify watches a process holds (Linux: each is a line <c>inotify wd:…</c> of its inotify descriptors' fdinfo).</summary>
    private static int InotifyWatches(int processId) =>
        new DirectoryInfo($"/proc/{processId}/fd").GetFiles()
            .Where(fd => fd.LinkTarget == "anon_inode:inotify")
            .Sum(fd => File.ReadLines($"/proc/{processId}/fdinfo/{fd.Name}").Count(line => line.StartsWith("inotify wd:", StringComparison.Ordinal)));

    /// <summary>One service process for both tests, on a database and in a folder of its own, its first request logged.</summary>
    public sealed class Started : IAsyncLifetime
    {
        private readonly TempDirectory _folder = new("catalog-service-start-");
        public ServiceProcess Service { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var database = await TestPostgres.CreateDatabaseAsync("catalog_service_start");
            var logging = new Dictionary<string, string> { [$"Logging__LogLevel__{typeof(FirstRequest).FullName}"] = "Information" };
            Service = await ServiceProcess.StartAsync(database, Path.Combine(_folder.Path, "catalog-data"), settings: logging,
                workingDirectory: _folder.Path);
        }

        public async Task DisposeAsync()
        {
            if (Service is not null) await Service.DisposeAsync();
            _folder.Dispose();
        }
    }
}
