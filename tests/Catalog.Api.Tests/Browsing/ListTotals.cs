using System.Net;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Projections;
using Catalog.Projections.Views;

namespace Catalog.Api.Tests.Browsing;

/// <summary>List totals come from trigger-kept counts; they must match the rows through every kind of change.</summary>
public sealed class ListTotals(CatalogApp app) : ApiTest(app)
{
    private static readonly string[] Filters =
    [
        "", "type=generated", "type=reference", "type=thumbnail",
        "production_id=prod_a", "production_id=prod_b", "type=generated&production_id=prod_a", "type=reference&production_id=prod_b",
    ];

    private async Task AssertTotalsMatchRows()
    {
        foreach (var filter in Filters)
        {
            var page = await Client.GetJson($"/api/gallery/images?limit=200&{filter}");
            Assert.True(page.Ids().Count == page.Long("total"), $"{filter}: total {page.Long("total")}, rows {page.Ids().Count}");
        }
        foreach (var status in new[] { "", "status=draft", "status=generating" })
        {
            var page = await Client.GetJson($"/api/gallery/productions?limit=200&{status}");
            Assert.True(page.Ids().Count == page.Long("total"), $"{status}: total {page.Long("total")}, rows {page.Ids().Count}");
        }
    }

    private async Task Scenario()
    {
        await Client.CreatedProduction("prod_a");
        await Client.CreatedProduction("prod_b");
        var images = new List<long>();
        for (var i = 0; i < 6; i++)
            images.Add((await Client.RegisteredImage($"t{i}.png", i % 3 == 0 ? null : i % 3 == 1 ? "prod_a" : "prod_b", seed: i,
                type: i % 2 == 0 ? "generated" : "reference")).Long("id"));
        await AssertTotalsMatchRows();

        // type changes, moves, detaches, deletes, status changes, cascades
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/images/{images[0]}") { Content = new StringContent("""{"image_type":"thumbnail"}""", System.Text.Encoding.UTF8, "application/json") };
        await (await Client.SendAsync(patch)).Json(HttpStatusCode.OK);
        await (await Client.SendJson(HttpMethod.Put, $"/api/images/{images[1]}/production", new { production_id = "prod_b" })).Json(HttpStatusCode.OK);
        await (await Client.DeleteAsync($"/api/images/{images[2]}/production")).Json(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/images/{images[3]}")).StatusCode);
        await (await Client.SendJson(HttpMethod.Post, "/api/productions/prod_a/status", new { status = "generating" })).Json(HttpStatusCode.OK);
        await AssertTotalsMatchRows();

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/api/productions/prod_b")).StatusCode);
        await AssertTotalsMatchRows();
    }

    [Fact]
    public async Task totals_follow_registrations_corrections_moves_deletes_and_cascades() => await Scenario();

    [Fact]
    public async Task applying_the_schema_again_on_a_populated_catalog_changes_no_count()
    {
        await Scenario();
        await App.Store.ApplySchemaAsync();
        await App.Store.ApplySchemaAsync();
        await AssertTotalsMatchRows();
    }

    [Fact]
    public async Task counts_are_seeded_from_the_rows_when_the_table_is_created_on_an_existing_catalog()
    {
        await Scenario();
        await using (var connection = App.Store.Storage.Database.CreateConnection())
        {
            await connection.OpenAsync();
            await using var drop = connection.CreateCommand();
            drop.CommandText = $"drop table {ViewCounts.Table}";
            await drop.ExecuteNonQueryAsync();
        }

        await App.Store.ApplySchemaAsync();

        await AssertTotalsMatchRows();
        Assert.Equal(3, (await Client.GetJson("/api/gallery/images")).Long("total"));
    }
}
