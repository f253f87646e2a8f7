using Catalog.Api;
using Catalog.Api.Access;
using Catalog.Api.Hosting;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddCatalogStorage()
        .AddCatalogMarten()
        .AddCatalogWolverine()
        .AddCatalogApi();

    var app = builder.Build();
    app.OpenCatalogDatabase();
    app.ProvisionAdminKey();
    app.MapCatalogApi();
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (Startup.Unavailable(e) is { } unavailable)
{
    // No PostgreSQL to be had: say how to get one, not a stack trace.
    Console.Error.WriteLine(unavailable.Message);
    return 2;
}
