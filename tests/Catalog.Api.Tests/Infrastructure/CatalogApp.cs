using Catalog.Testing;
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

    private readonly TempDirectory _data = new("catalog-api-test-");
    private string _connectionString = "";

    /// <summary>The service's clock (see <see cref="TestClock"/>).</summary>
    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock { get; } = TestClock.Create();

    public string DataDirectory => _data.Path;
    public string BlobDirectory => Path.Combine(_data.Path, "blobs");
    public IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();

    public async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateDatabaseAsync("catalog_api");
        _ = Server; // start the host now: schema migration and Wolverine start-up happen once, here
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
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>Every event and view gone; sequences keep counting (ids are never reused).</summary>
    public Task ResetAsync() => Store.Advanced.ResetAllData();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        _data.Dispose();
    }
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
    protected HttpClient Client { get; } = app.CreateClient();

    public virtual Task InitializeAsync() => App.ResetAsync();

    public Task DisposeAsync()
    {
        Client.Dispose();
        return Task.CompletedTask;
    }
}
