using System.Net;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Testing;

namespace Catalog.Api.Tests.Assets;

/// <summary>Racing commands: the store's constraints decide, and the loser appends nothing.</summary>
public sealed class ConcurrentCommands(CatalogApp app) : ApiTest(app)
{
    [Fact]
    public async Task of_two_registrations_of_one_filename_exactly_one_wins()
    {
        var fields = new Dictionary<string, string> { ["image_type"] = "generated" };
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Client.Register("images", TestMedia.Png(seed: 100 + i), "contested.png", fields)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created),
            r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(1, await App.EventCount());
    }

    [Fact]
    public async Task of_concurrent_changes_to_one_version_of_a_production_exactly_one_wins()
    {
        await Client.CreatedProduction("prod_race");
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Client.SendJson(HttpMethod.Patch, "/api/productions/prod_race?expected_version=1", new { title = $"title {i}" })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var events = await App.Events("production:prod_race");
        Assert.Equal(2, events.Count);
        var winner = await responses.Single(r => r.StatusCode == HttpStatusCode.OK).Json(HttpStatusCode.OK);
        Assert.Equal(winner.Str("title"), (await Client.GetJson("/api/gallery/production/prod_race")).GetProperty("production").Str("title"));
    }

    [Fact]
    public async Task a_production_deleted_while_assets_are_registered_into_it_leaves_no_orphan()
    {
        await Client.CreatedProduction("prod_racing");
        var uploads = Enumerable.Range(0, 5).Select(i => Client.Register("images", TestMedia.Png(seed: 200 + i), $"r{i}.png",
            new Dictionary<string, string> { ["image_type"] = "generated", ["production_id"] = "prod_racing" })).ToList();
        var delete = Client.DeleteAsync("/api/productions/prod_racing");
        await Task.WhenAll(uploads.Append(delete));

        // Whatever the interleaving, no live image points at the deleted production.
        await using var session = App.Store.QuerySession();
        var orphans = await Marten.QueryableExtensions.CountAsync(
            session.Query<Catalog.Projections.Views.AssetView<Catalog.Domain.Assets.ImageMetadata>>().Where(x => x.ProductionId == "prod_racing"));
        Assert.Equal(HttpStatusCode.NoContent, (await delete).StatusCode);
        Assert.Equal(0, orphans);
        foreach (var upload in uploads)
            Assert.Contains((await upload).StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.UnprocessableEntity });
    }
}
