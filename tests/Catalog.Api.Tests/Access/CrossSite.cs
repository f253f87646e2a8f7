using System.Net;
using System.Text;
using Catalog.Api.Tests.Infrastructure;

namespace Catalog.Api.Tests.Access;

/// <summary>What a web page on another site, or a name pointed at this machine, can make the service do: nothing.</summary>
public sealed class CrossSite(CatalogApp app) : ApiTest(app)
{
    [Fact]
    public async Task a_foreign_pages_form_post_to_the_purge_is_refused_even_with_a_key()
    {
        await Client.RegisteredImage("kept.png");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/images/{(await Client.RegisteredImage("trashed.png", seed: 2)).Long("id")}")).StatusCode);

        var form = new HttpRequestMessage(HttpMethod.Post, "/api/admin/purge?all=true")
        {
            Content = new StringContent("all=true", Encoding.UTF8, "application/x-www-form-urlencoded"),
            Headers = { { "Origin", "https://evil.example.com" } },
        };
        Assert.Contains("https://evil.example.com may not change the catalog", await (await Client.SendAsync(form)).Problem(HttpStatusCode.Forbidden));
        var bare = new HttpRequestMessage(HttpMethod.Post, "/api/admin/purge?all=true") { Headers = { { "Origin", "https://evil.example.com" } } };
        Assert.Equal(HttpStatusCode.Forbidden, (await Client.SendAsync(bare)).StatusCode);

        Assert.Single((await Client.GetJson("/api/gallery/trash")).GetProperty("items").EnumerateArray()); // still there
    }

    [Fact]
    public async Task a_form_or_no_content_type_is_refused_by_json_commands_and_the_same_origin_passes()
    {
        var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["id"] = "prod_form" });
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await Client.PostAsync("/api/productions", form)).StatusCode);
        var untyped = new ByteArrayContent("""{"id":"prod_untyped"}"""u8.ToArray());
        Assert.Contains("Content-Type: application/json", await (await Client.PostAsync("/api/productions", untyped)).Problem(HttpStatusCode.UnsupportedMediaType));

        var same = new HttpRequestMessage(HttpMethod.Post, "/api/productions")
        {
            Content = new StringContent("""{"id":"prod_same"}""", Encoding.UTF8, "application/json"),
            Headers = { { "Origin", "http://localhost" } }, // Swagger UI on the service itself
        };
        Assert.Equal(HttpStatusCode.Created, (await Client.SendAsync(same)).StatusCode);
        Assert.Empty(await App.Events("production:prod_form"));
        Assert.Empty(await App.Events("production:prod_untyped"));
    }

    [Fact]
    public async Task an_origin_listed_in_the_settings_gets_cors_answers_and_may_write()
    {
        await using var listed = App.WithWebHostBuilder(b => b.UseSetting("Catalog:CorsOrigins", "https://studio.example.com"));
        using var client = listed.CreateClient().WithKey(App.TestKey);

        var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/productions")
        {
            Headers = { { "Origin", "https://studio.example.com" }, { "Access-Control-Request-Method", "POST" },
                        { "Access-Control-Request-Headers", "authorization,content-type" } },
        };
        var answer = await client.SendAsync(preflight);
        Assert.Equal("https://studio.example.com", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());

        var post = new HttpRequestMessage(HttpMethod.Post, "/api/productions")
        {
            Content = new StringContent("""{"id":"prod_studio"}""", Encoding.UTF8, "application/json"),
            Headers = { { "Origin", "https://studio.example.com" } },
        };
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(post)).StatusCode);

        var other = new HttpRequestMessage(HttpMethod.Options, "/api/productions")
        {
            Headers = { { "Origin", "https://evil.example.com" }, { "Access-Control-Request-Method", "POST" } },
        };
        Assert.False((await client.SendAsync(other)).Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("evil.example.com")]
    [InlineData("localhost.evil.example.com")]
    [InlineData("192.168.1.10")]
    public async Task a_host_other_than_the_services_urls_is_refused(string host)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/gallery/images");
        request.Headers.Host = host;
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.SendAsync(request)).StatusCode);

        var local = new HttpRequestMessage(HttpMethod.Get, "/api/gallery/images");
        local.Headers.Host = "127.0.0.1:5080";
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(local)).StatusCode);
    }

    [Theory]
    [InlineData("http://localhost:5080", "localhost,127.0.0.1,[::1]")]
    [InlineData("http://127.0.0.1:8080;https://catalog.example.com", "localhost,127.0.0.1,[::1],catalog.example.com")]
    [InlineData("http://0.0.0.0:8080", "*")]
    [InlineData("http://[::]:8080", "*")]
    [InlineData("http://+:80", "*")]
    public void the_allowed_hosts_are_the_hosts_of_the_urls(string urls, string hosts) =>
        Assert.Equal(hosts.Split(','), Catalog.Api.Access.ServiceHosts.Of(urls));
}
