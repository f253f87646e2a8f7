using Catalog.Infrastructure;
using Catalog.Testing;

namespace Catalog.Cli.Tests;

public abstract partial class CliTests
{
    [Fact]
    public async Task import_fs_beside_a_running_service_is_handed_to_it_and_reports_as_it_would_here()
    {
        Directory.CreateDirectory(Out["old/data/images"]);
        File.WriteAllBytes(Out["old/data/images/a.png"], TestMedia.Png(1024, 576));
        File.WriteAllBytes(Out["old/data/images/b.png"], TestMedia.Png(640, 360, seed: 2));
        File.WriteAllText(Out["old/data/images/readme.png"], "not an image");
        await using var service = await RunningService.StartAsync(Catalog.ConnectionString, Catalog.DataDirectory);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(LocalService.PathIn(Catalog.DataDirectory)));

        var import = await Run("import-fs", "--root", "old", "--image-type", "storyboard");

        Assert.True(import.Code == 1, import.Err + import.Out);
        Assert.Contains($"through the service at {service.Published.Urls[0]}", import.Out);
        Assert.Contains("unrecognised data/images/readme.png: not an image, video or audio format", import.Out.Replace("  ", " "));
        Assert.Matches(@"registered\s+2", import.Out);
        Assert.Matches(@"unrecognised\s+1", import.Out);
        Assert.Contains("Not everything was imported", import.Err);
        var a = await One("a.png");
        Assert.Equal(("storyboard", "1024x576"), (a.Metadata.ImageType, a.Metadata.Size));
        await using (var session = Catalog.Store.QuerySession())
        {
            var registered = (await session.Events.FetchStreamAsync($"image:{a.Id}"))[0];
            Assert.Equal(Environment.UserName, registered.UserName);           // the user who ran the CLI, as an import here records
            Assert.Equal($"import-fs {Out["old"]}", registered.Headers?[Projections.CatalogStore.ReasonHeader]?.ToString());
        }

        // In this process when asked, or when the service does not answer: the same import, skipping what is there.
        File.Delete(Out["old/data/images/readme.png"]);
        var here = await Run("import-fs", "--root", "old", "--no-service");
        Assert.True(here.Code == 0, here.Err + here.Out);
        Assert.DoesNotContain("through the service", here.Out);
        Assert.Matches(@"skipped \(already in the catalog\)\s+2", here.Out);

        Assert.Contains("Folder", await service.StopAsync());                // it logged the import
        Assert.False(File.Exists(LocalService.PathIn(Catalog.DataDirectory))); // a stopped service leaves no file behind
    }

    [Fact]
    public async Task import_db_beside_a_running_service_is_handed_to_it_and_the_file_is_read_where_it_lies()
    {
        Directory.CreateDirectory(Out["old/data/images"]);
        File.WriteAllBytes(Out["old/data/images/a.png"], TestMedia.Png(800, 450));
        Directory.CreateDirectory(Out["old/data/audio"]);
        File.WriteAllBytes(Out["old/data/audio/take.wav"], TestMedia.Wav(seconds: 1));
        Assert.Equal(0, (await Run("import-fs", "--root", "old")).Code);       // no service yet: imported here
        Assert.Equal(0, (await Run("export", "--out", "backup/assets.db")).Code);
        await Catalog.ResetAsync();
        await using var service = await RunningService.StartAsync(Catalog.ConnectionString, Catalog.DataDirectory);

        var import = await Run("import-db", "backup/assets.db", "--parallel", "2");

        Assert.True(import.Code == 0, import.Err + import.Out);
        Assert.Contains($"Importing {Out["backup/assets.db"]} through the service at {service.Published.Urls[0]}", import.Out);
        Assert.Matches(@"registered\s+2", import.Out);
        var a = await One("a.png");
        Assert.Equal("800x450", a.Metadata.Size);
        await using (var session = Catalog.Store.QuerySession())
        {
            var registered = (await session.Events.FetchStreamAsync($"image:{a.Id}"))[0];
            Assert.Equal(Environment.UserName, registered.UserName);
            Assert.Equal($"import-db {Out["backup/assets.db"]}", registered.Headers?[Projections.CatalogStore.ReasonHeader]?.ToString());
        }

        var here = await Run("import-db", "backup/assets.db", "--no-service");
        Assert.True(here.Code == 0, here.Err + here.Out);
        Assert.DoesNotContain("through the service", here.Out);
        Assert.Matches(@"skipped \(already in the catalog\)\s+2", here.Out);

        var missing = await Run("import-db", "backup/none.db");              // refused by the service before it starts
        Assert.Equal(2, missing.Code);
        Assert.Contains("refused the import (404)", missing.Err);
        Assert.Contains("does not exist", missing.Err);

        Assert.Contains("backup/assets.db imported", await service.StopAsync());
    }

    [Fact]
    public async Task a_service_file_whose_service_does_not_answer_is_passed_over_and_the_import_runs_here()
    {
        Directory.CreateDirectory(Out["old/data/images"]);
        File.WriteAllBytes(Out["old/data/images/a.png"], TestMedia.Png(320, 180));
        // A live process (this test's) that listens nowhere: the CLI finds the file, is refused, and imports by itself.
        new LocalService(Environment.ProcessId, ["http://127.0.0.1:1"], LocalService.NewToken()).Write(Catalog.DataDirectory);
        try
        {
            var import = await Run("import-fs", "--root", "old");

            Assert.True(import.Code == 0, import.Err + import.Out);
            Assert.Contains("did not answer", import.Err);
            Assert.Equal(1, import.Err.Split("did not answer").Length - 1); // asked once, not again by the store's twin
            Assert.Matches(@"registered\s+1", import.Out);
            Assert.Equal("320x180", (await One("a.png")).Metadata.Size);
        }
        finally
        {
            File.Delete(LocalService.PathIn(Catalog.DataDirectory));
        }
    }
}
