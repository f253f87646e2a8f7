using System.Net;
using Catalog.Api.Tests.Infrastructure;

namespace Catalog.Api.Tests.Productions;

public sealed class ChangingProductionStatus(CatalogApp app) : ApiTest(app)
{
    private Task<HttpResponseMessage> Move(string id, string status) =>
        Client.SendJson(HttpMethod.Post, $"/api/productions/{id}/status", new { status });

    [Fact]
    public async Task follows_draft_generating_completed_and_back_to_draft()
    {
        await Client.CreatedProduction("prod_life");
        foreach (var status in new[] { "generating", "completed", "draft", "generating", "draft" })
        {
            var production = await (await Move("prod_life", status)).Json(HttpStatusCode.OK);
            Assert.Equal(status, production.Str("status"));
        }

        var changes = (await App.Events("production:prod_life")).Skip(1).Select(e => e.EventTypeName).Distinct();
        Assert.Equal(["production.status_changed"], changes);
    }

    [Theory]
    [InlineData(new string[0], "completed")]
    [InlineData(new string[0], "draft")]
    [InlineData(new[] { "generating" }, "generating")]
    [InlineData(new[] { "generating", "completed" }, "generating")]
    [InlineData(new[] { "generating", "completed" }, "completed")]
    public async Task any_other_transition_is_a_409_and_appends_nothing(string[] before, string to)
    {
        await Client.CreatedProduction("prod_t");
        foreach (var status in before) await (await Move("prod_t", status)).Json(HttpStatusCode.OK);
        var count = await App.EventCount();

        Assert.Contains($"cannot become {to}", await (await Move("prod_t", to)).Problem(HttpStatusCode.Conflict));
        Assert.Equal(count, await App.EventCount());
    }

    [Fact]
    public async Task an_unknown_status_is_a_400()
    {
        await Client.CreatedProduction("prod_u");
        Assert.Contains("not a status", await (await Move("prod_u", "published")).Problem(HttpStatusCode.BadRequest));
        Assert.Equal(1, await App.EventCount());
    }
}
