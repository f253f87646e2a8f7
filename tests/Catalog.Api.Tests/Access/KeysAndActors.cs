using System.Net;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Infrastructure.Access;
using Catalog.Testing;

namespace Catalog.Api.Tests.Access;

/// <summary>The key is who: its name is the actor in history; X-Actor only from a key allowed to act for others; revoking counts at once.</summary>
public sealed class KeysAndActors(CatalogApp app) : ApiTest(app)
{
    private readonly List<string> _made = [];

    private HttpClient Keyed(string name, ApiKeyRole role, bool actsForOthers = false)
    {
        var (_, secret) = App.Keys.Add(name, role, actsForOthers, "test", "cli");
        _made.Add(name);
        return App.ClientWith(secret);
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        foreach (var key in App.Keys.List().Where(k => k.Name != "tests" && k.Source != "setting" && !k.Revoked)) App.Keys.Revoke(key.Name, "test");
    }

    [Fact]
    public async Task the_keys_name_is_the_actor_and_x_actor_from_an_ordinary_key_is_refused()
    {
        using var editor = Keyed("editor-bot", ApiKeyRole.Write);
        await (await editor.SendJson(HttpMethod.Post, "/api/productions", new { id = "prod_keyed" })).Json(HttpStatusCode.Created);
        var forged = await editor.SendJson(HttpMethod.Post, "/api/productions", new { id = "prod_forged" }, actor: "the-ceo");

        Assert.Contains("may not act for others", await forged.Problem(HttpStatusCode.Forbidden));
        var created = Assert.Single(await App.Events("production:prod_keyed"));
        Assert.Equal("editor-bot", created.UserName);
        Assert.Empty(await App.Events("production:prod_forged"));
        var history = await Client.GetJson("/api/history/productions/prod_keyed");
        Assert.Equal("editor-bot", history.GetProperty("items")[0].Str("by"));
    }

    [Fact]
    public async Task a_key_that_acts_for_others_records_both_who_and_through_which_key()
    {
        using var frontEnd = Keyed("web-front-end", ApiKeyRole.Write, actsForOthers: true);
        await (await frontEnd.SendJson(HttpMethod.Post, "/api/productions", new { id = "prod_for_alice" }, actor: "alice")).Json(HttpStatusCode.Created);

        var entry = (await Client.GetJson("/api/history/productions/prod_for_alice")).GetProperty("items")[0];
        Assert.Equal(("alice", "web-front-end"), (entry.Str("by"), entry.Str("via")));
    }

    [Fact]
    public async Task a_revoked_key_is_refused_at_once_by_the_api_or_by_the_cli()
    {
        using var first = Keyed("short-lived", ApiKeyRole.Read);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/gallery/images")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.DeleteAsync("/api/keys/short-lived")).StatusCode);
        var refused = await first.GetAsync("/api/gallery/images");
        Assert.Contains("unknown or revoked", await refused.Problem(HttpStatusCode.Unauthorized));
        Assert.Equal("Bearer realm=\"catalog\"", refused.Headers.WwwAuthenticate.ToString());

        // The CLI changes the same file from another process: a store of its own on the same data directory.
        using var second = Keyed("cli-revoked", ApiKeyRole.Write);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/gallery/images")).StatusCode);
        new ApiKeyStore(App.DataDirectory, TimeProvider.System).Revoke("cli-revoked", "operator");
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("/api/gallery/images")).StatusCode);
    }

    [Fact]
    public async Task admins_make_list_and_revoke_keys_and_the_file_keeps_only_hashes()
    {
        var made = await (await Client.SendJson(HttpMethod.Post, "/api/keys", new { name = "ci", role = "write" })).Json(HttpStatusCode.Created);
        var secret = made.Str("key");
        _made.Add("ci");
        Assert.StartsWith("cat_", secret);
        Assert.Equal(("ci", "write", false), (made.Str("name"), made.Str("role"), made.GetProperty("acts_for_others").GetBoolean()));

        using var ci = App.ClientWith(secret, remote: true);
        Assert.Equal(HttpStatusCode.Created, (await ci.SendJson(HttpMethod.Post, "/api/productions", new { id = "prod_ci" })).StatusCode);
        Assert.Contains("has the role 'write'; this needs 'admin'",
            await (await ci.SendJson(HttpMethod.Post, "/api/admin/purge", null)).Problem(HttpStatusCode.Forbidden));
        Assert.Equal("ci", Assert.Single(await App.Events("production:prod_ci")).UserName);

        var listed = (await Client.GetJson("/api/keys")).EnumerateArray().Single(k => k.Str("name") == "ci");
        Assert.False(listed.TryGetProperty("key", out _) || listed.TryGetProperty("sha256", out _));
        Assert.Contains("A key named 'ci' exists", await (await Client.SendJson(HttpMethod.Post, "/api/keys", new { name = "ci", role = "read" }))
            .Problem(HttpStatusCode.Conflict));
        Assert.Contains("not a role", await (await Client.SendJson(HttpMethod.Post, "/api/keys", new { name = "x", role = "root" })).Problem(HttpStatusCode.BadRequest));
        Assert.Contains("not a key name", await (await Client.SendJson(HttpMethod.Post, "/api/keys", new { name = "a b", role = "read" })).Problem(HttpStatusCode.BadRequest));

        var file = await File.ReadAllTextAsync(Path.Combine(App.DataDirectory, ApiKeyStore.FileName));
        Assert.DoesNotContain(secret, file);
        Assert.DoesNotContain(CatalogApp.AdminKey, file);
        Assert.Contains(TestMedia.Sha256(System.Text.Encoding.UTF8.GetBytes(secret)), file);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(App.DataDirectory, ApiKeyStore.FileName)));
    }

    [Fact]
    public async Task the_admin_key_of_the_setting_works_and_is_stored_hashed()
    {
        using var admin = App.ClientWith(CatalogApp.AdminKey, remote: true);
        Assert.Equal(HttpStatusCode.OK, (await admin.SendJson(HttpMethod.Post, "/api/admin/purge", null)).StatusCode);
        var key = App.Keys.List().Single(k => k.Source == "setting" && !k.Revoked);
        Assert.Equal(("admin", ApiKeyRole.Admin), (key.Name, key.Role));
        Assert.Equal(TestMedia.Sha256(System.Text.Encoding.UTF8.GetBytes(CatalogApp.AdminKey)), key.Sha256);
    }
}
