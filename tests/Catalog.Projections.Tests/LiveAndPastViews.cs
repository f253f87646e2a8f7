using Catalog.Domain.Assets;
using Catalog.Domain.Productions;
using Catalog.Projections.Views;
using Catalog.Testing;
using Marten;

namespace Catalog.Projections.Tests;

/// <summary>
/// The live views (Marten's inline projections, in PostgreSQL) and the past rebuilt from the events (time travel) give
/// the same answer at every version of a stream, over commands that append every kind of event the stream has.
/// </summary>
public sealed class LiveAndPastViews(CatalogFixture fixture) : CatalogTest(fixture)
{
    [Fact]
    public async Task an_asset_reads_the_same_live_and_rebuilt_after_every_event()
    {
        await Catalog.CreateProductionAsync("prod_a");
        await Catalog.CreateProductionAsync("prod_b");
        var id = await Image("frame.png", "prod_a");
        var live = new List<AssetView<ImageMetadata>?> { await LiveAsync(id) };

        async Task Then(Task command)
        {
            await command;
            live.Add(await LiveAsync(id));
        }
        await Then(Catalog.SendAsync(new CorrectAssetMetadata<ImageMetadata>(id, new Dictionary<string, object?> { ["prompt"] = "better", ["steps"] = 40 })));
        await Then(Catalog.SendAsync(new MoveAsset<ImageMetadata>(id, "prod_b")));
        await Then(Catalog.SendAsync(new DetachAsset<ImageMetadata>(id)));
        await Then(Catalog.SendAsync(new DeleteAsset<ImageMetadata>(id)));
        await Then(Catalog.SendAsync(new RestoreAsset<ImageMetadata>(id)));

        await using var session = Catalog.Store.QuerySession();
        for (var version = 1; version <= live.Count; version++)
        {
            var past = await CatalogAtInstant.AtVersionAsync(session, Asset<ImageMetadata>.StreamKey(id), version, default);
            Assert.Equal(live[version - 1], past.Assets<ImageMetadata>().GetValueOrDefault(id));
        }
        Assert.Null(live[4]); // deleted
        Assert.NotNull(live[5]); // restored
    }

    [Fact]
    public async Task a_production_reads_the_same_live_and_rebuilt_after_every_event()
    {
        await Catalog.CreateProductionAsync("prod_p");
        var live = new List<ProductionView?> { await LiveAsync("prod_p") };

        async Task Then(Task command)
        {
            await command;
            live.Add(await LiveAsync("prod_p"));
        }
        await Then(Catalog.SendAsync(new ChangeProductionDetails("prod_p", "New title", "")));
        await Then(Catalog.SendAsync(new AttachProductionAudio("prod_p", null, "song.wav", 181.5)));
        await Then(Catalog.SendAsync(new ReplaceStoryboard("prod_p", "{\"scenes\": []}")));
        await Then(Catalog.SendAsync(new ReplaceSettings("prod_p", "{\"fps\": 24}")));
        await Then(Catalog.SendAsync(new ChangeProductionStatus("prod_p", ProductionStatus.Generating)));
        await Then(Catalog.SendAsync(new DeleteProduction("prod_p")));
        await Then(Catalog.SendAsync(new RestoreProduction("prod_p")));

        await using var session = Catalog.Store.QuerySession();
        for (var version = 1; version <= live.Count; version++)
        {
            var past = await CatalogAtInstant.AtVersionAsync(session, Production.StreamKey("prod_p"), version, default);
            Assert.Equal(live[version - 1], past.Productions.GetValueOrDefault("prod_p"));
        }
    }

    private async Task<AssetView<ImageMetadata>?> LiveAsync(long id)
    {
        await using var session = Catalog.Store.QuerySession();
        return await session.LoadAsync<AssetView<ImageMetadata>>(id);
    }

    private async Task<ProductionView?> LiveAsync(string id)
    {
        await using var session = Catalog.Store.QuerySession();
        return await session.LoadAsync<ProductionView>(id);
    }
}
