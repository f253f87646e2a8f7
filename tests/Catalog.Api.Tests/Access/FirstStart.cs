using System.Net;
using System.Text.RegularExpressions;
using Catalog.Api.Tests.Faults;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Infrastructure.Access;
using Catalog.Testing;

namespace Catalog.Api.Tests.Access;

/// <summary>The first start of a fresh service, as a user runs it (its own process): one admin key, printed once, kept hashed.</summary>
public sealed partial class FirstStart
{
    [GeneratedRegex("cat_[A-Za-z0-9_-]{43}")]
    private static partial Regex Key();

    [Fact]
    public async Task makes_one_admin_key_prints_it_once_and_keeps_only_its_hash()
    {
        var database = await TestPostgres.CreateDatabaseAsync("catalog_first_start");
        using var data = new TempDirectory("catalog-first-start-");
        var noKey = new Dictionary<string, string> { ["Catalog__AdminKey"] = "" };

        string key;
        await using (var service = await ServiceProcess.StartAsync(database, data.Path, settings: noKey))
        {
            var printed = Key().Matches(service.Output).Select(m => m.Value).ToList();
            key = Assert.Single(printed);
            Assert.Contains("catalog keys add NAME --role", service.Output);

            var file = await File.ReadAllTextAsync(Path.Combine(data.Path, ApiKeyStore.FileName));
            Assert.DoesNotContain(key, file);
            Assert.Contains(TestMedia.Sha256(System.Text.Encoding.UTF8.GetBytes(key)), file);

            using var anonymous = service.Anonymous();
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/admin/purge", null)).StatusCode);
            using var admin = service.Anonymous().WithKey(key);
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/admin/purge", null)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/gallery/images")).StatusCode); // reads from this machine
            await service.KillAsync();
        }

        await using var again = await ServiceProcess.StartAsync(database, data.Path, settings: noKey);
        Assert.Empty(Key().Matches(again.Output));
        using var stillAdmin = again.Anonymous().WithKey(key);
        Assert.Equal(HttpStatusCode.OK, (await stillAdmin.PostAsync("/api/admin/purge", null)).StatusCode);
    }
}
