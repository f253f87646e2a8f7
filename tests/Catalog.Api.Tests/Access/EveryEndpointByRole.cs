using System.Net;
using System.Text;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Infrastructure.Access;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Api.Tests.Access;

/// <summary>
/// Every operation of the OpenAPI document — so a new endpoint cannot be left out — sent with no key (from this machine
/// and from another), with a read, a write and an admin key, and as the operator on the service's machine: refused (401
/// without a usable key, 403 with too low a role) exactly where the role it needs is missing, and never refused otherwise.
/// A folder's or a local assets.db's import reads the service's disk: the operator's alone, refused to every key.
/// </summary>
public sealed class EveryEndpointByRole(CatalogApp app) : ApiTest(app)
{
    /// <summary>The rule the README states: reads need read; commands write; purge, rebuild, imports and keys admin.</summary>
    private static ApiKeyRole Needed(string method, string path) =>
        path.StartsWith("/api/admin", StringComparison.Ordinal) || path.StartsWith("/api/keys", StringComparison.Ordinal) ||
        (method == "POST" && path == "/api/imports")
            ? ApiKeyRole.Admin
            : method == "GET" ? ApiKeyRole.Read : ApiKeyRole.Write;

    private static bool OperatorOnly(string method, string path) => method == "POST" && path is "/api/imports/folders" or "/api/imports/databases";

    [Fact]
    public async Task each_is_refused_exactly_where_the_role_it_needs_is_missing()
    {
        var document = await Client.GetJson("/swagger/v1/swagger.json");
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Method: op.Name.ToUpperInvariant(), Path: path.Name, Operation: op.Value)))
            .ToList();
        Assert.True(operations.Count >= 45, $"only {operations.Count} operations in the document");

        var keys = new Dictionary<string, HttpClient?>
        {
            ["no key, another machine"] = App.ClientWith(null, remote: true),
            ["no key, this machine"] = App.ClientWith(null),
            ["read"] = App.ClientWith(App.Keys.Add("reader", ApiKeyRole.Read, false, "test", "cli").Secret, remote: true),
            ["write"] = App.ClientWith(App.Keys.Add("writer", ApiKeyRole.Write, false, "test", "cli").Secret, remote: true),
            ["admin"] = App.ClientWith(App.Keys.Add("boss", ApiKeyRole.Admin, false, "test", "cli").Secret, remote: true),
            ["operator"] = App.ClientWith(App.Services.GetRequiredService<Catalog.Api.Access.LocalOperator>().Token),
        };
        try
        {
            var wrong = new List<string>();
            foreach (var (method, path, operation) in operations)
            {
                Assert.True(operation.TryGetProperty("security", out _), $"{method} {path} says nothing of the key it needs");
                var needed = Needed(method, path);
                var url = path.Replace("{id}", "1").Replace("{name}", "nobody");
                foreach (var (who, client) in keys)
                {
                    var request = new HttpRequestMessage(new HttpMethod(method), url);
                    if (method != "GET") request.Content = new StringContent("[]", Encoding.UTF8, "application/json");
                    var status = (int)(await client!.SendAsync(request)).StatusCode;

                    var expected = who switch
                    {
                        "no key, another machine" => 401,
                        "no key, this machine" => needed == ApiKeyRole.Read ? 0 : 401,
                        "operator" => 0,
                        _ when OperatorOnly(method, path) => 403,
                        _ => ApiKeyStore.ParseRole(who) >= needed ? 0 : 403,
                    };
                    if (expected == 0 ? status is 401 or 403 or >= 500 : status != expected)
                        wrong.Add($"{method} {url} with {who}: {status}, expected {(expected == 0 ? "neither 401 nor 403" : expected)}");
                }
            }
            Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        }
        finally
        {
            foreach (var client in keys.Values) client!.Dispose();
            foreach (var name in new[] { "reader", "writer", "boss" }) App.Keys.Revoke(name, "test");
        }
    }

    [Fact]
    public async Task with_reads_closed_this_machine_needs_a_key_too()
    {
        await using var closed = App.WithWebHostBuilder(b => b.UseSetting("Catalog:AnonymousReads", "none"));
        using var client = closed.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/gallery/images")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        using var keyed = closed.CreateClient().WithKey(App.TestKey);
        Assert.Equal(HttpStatusCode.OK, (await keyed.GetAsync("/api/gallery/images")).StatusCode);
    }
}
