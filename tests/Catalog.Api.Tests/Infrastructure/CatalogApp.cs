using Catalog.Infrastructure.Access;
using Catalog.Testing;
using Microsoft.AspNetCore.Builder;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Api.Tests.Infrastructure;

/// <summary>
/// The real API in-process (WebApplicationFactory) on a PostgreSQL database of its own and a blob store
/// in a temporary folder. One per test collection; tests reset the data before they run.
/// </summary>
public sealed class CatalogApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>Small, so the 413 path is tested with a few megabytes.</summary>
    public const long MaxUploadBytes = 2 * 1024 * 1024;

    /// <summary>The service's Catalog:AdminKey (stored hashed at start, as a deployment's would be).</summary>
    public const string AdminKey = "test-admin-key-0123456789abcdefghij";

    /// <summary>A test request from this address stands for a client on another machine (the test server has no sockets).</summary>
    public const string RemoteHeader = "X-Test-Remote-Address";

    private readonly TempDirectory _data = new("catalog-api-test-");
    private string _connectionString = "";

    /// <summary>The service's clock (see <see cref="TestClock"/>).</summary>
    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock { get; } = TestClock.Create();

    public string DataDirectory => _data.Path;
    public string BlobDirectory => Path.Combine(_data.Path, "blobs");
    public IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();

    /// <summary>
    /// The key the tests' clients send: admin, and allowed to act for others, so a test's <c>X-Actor</c> is the actor
    /// recorded (beside "tests"). The access tests make keys of every role themselves.
    /// </summary>
    public string TestKey { get; private set; } = "";

    public ApiKeyStore Keys => Services.GetRequiredService<ApiKeyStore>();

    public async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateDatabaseAsync("catalog_api");
        _ = Server; // start the host now: schema migration and Wolverine start-up happen once, here
        TestKey = Keys.Add("tests", ApiKeyRole.Admin, actsForOthers: true, "test fixture", "cli").Secret;
    }

    /// <summary>A client that sends <paramref name="key"/> (none when null), from this machine or, when <paramref name="remote"/>, from another.</summary>
    public HttpClient ClientWith(string? key, bool remote = false)
    {
        var client = CreateClient();
        if (key is not null) client.WithKey(key);
        if (remote) client.DefaultRequestHeaders.Add(RemoteHeader, "203.0.113.7");
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Catalog", _connectionString);
        builder.UseSetting("Catalog:DataDirectory", _data.Path);
        builder.UseSetting("Catalog:MaxUploadBytes", MaxUploadBytes.ToString());
        builder.UseSetting("Catalog:StatsCacheSeconds", "0"); // stats exact right after each change
        builder.UseSetting("Catalog:ExportRetentionHours", "0"); // a finished export expires at the next housekeeping
        builder.UseSetting("Catalog:ExportMaxInlineMb", "1"); // binaries over 1 MiB go beside an export's database
        builder.UseSetting("Catalog:AdminKey", AdminKey);
        builder.UseSetting("Catalog:RehearseImport", "false"); // the start's rehearsal of an import: tested in RehearsingAnImport
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IStartupFilter>(new FromLoopback());
        });
    }

    /// <summary>Every event and view gone; sequences keep counting (ids are never reused).</summary>
    public Task ResetAsync() => Store.Advanced.ResetAllData();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        _data.Dispose();
    }
}

/// <summary>The test server's requests come from 127.0.0.1, as a local client's would — or from the address a test names.</summary>
internal sealed class FromLoopback : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Connection.RemoteIpAddress = context.Request.Headers.TryGetValue(CatalogApp.RemoteHeader, out var address)
                ? System.Net.IPAddress.Parse(address.ToString())
                : System.Net.IPAddress.Loopback;
            return nextMiddleware(context);
        });
        next(app);
    };
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<CatalogApp>
{
    public const string Name = "api";
}

/// <summary>Base of the API tests: a client on the shared host, data reset before each test.</summary>
[Collection(ApiCollection.Name)]
public abstract class ApiTest(CatalogApp app) : IAsyncLifetime
{
    protected CatalogApp App { get; } = app;
    protected HttpClient Client { get; } = app.ClientWith(app.TestKey);

    public virtual Task InitializeAsync() => App.ResetAsync();

    /// <summary>
    /// A write that bypasses this service entirely, as another node's or the CLI's would, acknowledged as every writer of
    /// the catalog acknowledges a change: once <see cref="Catalog.Projections.Views.ViewChanges.Settle"/> has passed since
    /// its commit.
    /// </summary>
    protected async Task<int> ElsewhereAsync(string sql)
    {
        int rows;
        await using (var connection = App.Store.Storage.Database.CreateConnection())
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            rows = await command.ExecuteNonQueryAsync();
        }
        await Catalog.Projections.Views.ViewChanges.SettleAsync();
        return rows;
    }

    public Task DisposeAsync()
    {
        Client.Dispose();
        return Task.CompletedTask;
    }
}
