using Catalog.Api;
using Catalog.Api.Access;
using Catalog.Api.Hosting;
using Catalog.Api.Portable;
using Catalog.Api.Threads;
using Catalog.Exporter.Portable;

try
{
    // Settings are read once, at the start. A host's default reloads ./appsettings.json on change through a watcher over the
    // whole folder it runs from, subfolders too: the repository under `dotnet run`, and in it ./catalog-data, where every
    // blob an import or an upload writes would be an event for the watcher to read. The command line can still turn it on.
    var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
    SocketThreads.Configure(builder.Configuration); // before the process's first socket
    if (PortableMode.File(builder.Configuration) is { } assetsDb)
    {
        // Portable mode: one assets.db served read-only, no PostgreSQL.
        builder.AddPortableCatalog(assetsDb).AddCatalogApi();
        var portable = builder.Build();
        portable.MapPortableApi();
        await portable.RunAsync();
        return 0;
    }

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
catch (PortableFileRefusedException refused)
{
    // A file portable mode cannot serve: one line, not a stack trace.
    Console.Error.WriteLine(refused.Message);
    return 2;
}
catch (Exception e) when (Startup.Unavailable(e) is { } unavailable)
{
    // No PostgreSQL to be had: say how to get one, not a stack trace.
    Console.Error.WriteLine(unavailable.Message);
    return 2;
}
