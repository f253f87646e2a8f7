using Catalog.Api.Access;
using Catalog.Api.Admin;
using Catalog.Api.Browsing;
using Catalog.Api.Exporting;
using Catalog.Api.Http;
using Catalog.Api.Importing;
using Catalog.Api.Media;
using Catalog.Api.Threads;
using Catalog.Infrastructure;
using Catalog.Infrastructure.Blobs;
using Catalog.Infrastructure.Media;
using Catalog.Infrastructure.Renditions;
using Catalog.Infrastructure.Database;
using Catalog.Projections;
using Catalog.Projections.Queries;
using JasperFx;
using Marten;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Wolverine;
using Wolverine.Marten;

namespace Catalog.Api.Hosting;

/// <summary>How the API host is put together; Program.cs calls these in order.</summary>
public static class CatalogHosting
{
    /// <summary>
    /// The catalog's settings, its PostgreSQL (the configured one, or a private cluster started on first
    /// use and stopped with the host) and its blob store.
    /// </summary>
    public static WebApplicationBuilder AddCatalogStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => CatalogSettings.From(sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddSingleton(sp => CatalogDatabase
            .OpenAsync(sp.GetRequiredService<CatalogSettings>(), sp.GetRequiredService<ILogger<CatalogDatabase>>())
            .GetAwaiter().GetResult());
        builder.Services.AddSingleton<IBlobStore>(sp =>
        {
            var settings = sp.GetRequiredService<CatalogSettings>();
            return new FileSystemBlobStore(settings.BlobDirectory, sha256 => Renditions.PathsOf(settings.RenditionDirectory, sha256));
        });
        builder.Services.AddRenditions(settings => settings.RenditionDirectory);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => MediaProbe.FromSetting(sp.GetRequiredService<CatalogSettings>().Ffprobe));
        builder.Services.AddHealthChecks().AddCatalogChecks();
        return builder;
    }

    /// <summary>Marten with the catalog's store configuration; the schema is brought up to date at start.</summary>
    public static WebApplicationBuilder AddCatalogMarten(this WebApplicationBuilder builder)
    {
        builder.Services
            .AddMarten(sp =>
            {
                var options = new StoreOptions().ConfigureCatalog(sp.GetRequiredService<CatalogDatabase>().ConnectionString, sp.GetRequiredService<TimeProvider>());
                options.Schema.For<ExportJob>().DocumentAlias("export_job");
                options.Schema.For<ImportJob>().DocumentAlias("import_job");
                return options;
            })
            .UseLightweightSessions()
            .IntegrateWithWolverine();
        builder.Services.AddHostedService<SchemaAtStartup>();
        builder.Services.AddSingleton(sp => new CatalogReads(sp.GetRequiredService<CatalogDatabase>().ConnectionString));
        builder.Services.AddSingleton<StatsCache>();
        builder.Services.AddSingleton<ExactReadCache>();
        builder.Services.AddSingleton<IGallery, CatalogGallery>();
        builder.Services.AddHostedService<ExportHousekeeping>();
        builder.Services.AddHostedService<ImportHousekeeping>();
        builder.Services.AddHostedService<ImportRehearsal>();
        builder.Services.AddHostedService<TrashHousekeeping>();
        builder.Services.AddSingleton<WritesInFlight>();
        builder.Services.AddHostedService<MakeRenditionsHandler.AtStart>();
        return builder;
    }

    /// <summary>Brings the database schema up to date before anything else runs (idempotent).</summary>
    private sealed class SchemaAtStartup(IDocumentStore store) : IHostedService
    {
        public Task StartAsync(CancellationToken ct) => store.ApplySchemaAsync(ct);
        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }

    /// <summary>Wolverine for the background work (exports, imports, thumbnails) on local queues. One node: <see cref="DurabilityMode.Solo"/>.</summary>
    public static WebApplicationBuilder AddCatalogWolverine(this WebApplicationBuilder builder)
    {
        builder.Host.UseWolverine(opts =>
        {
            opts.ApplicationAssembly = typeof(Program).Assembly;
            opts.UseRuntimeCompilation();
            opts.Durability.Mode = DurabilityMode.Solo;
            // Exports run in the background, two at a time.
            opts.LocalQueue("exports").MaximumParallelMessages(2);
            opts.PublishMessage<RunExport>().ToLocalQueue("exports");
            // Imports one at a time (each already works on several rows' bytes; two would only contend).
            opts.LocalQueue("imports").MaximumParallelMessages(1);
            opts.PublishMessage<RunImport>().ToLocalQueue("imports");
            // Thumbnails and previews after uploads and imports, one at a time (a request never waits for this queue).
            opts.LocalQueue("renditions").MaximumParallelMessages(1);
            opts.PublishMessage<MakeRenditions>().ToLocalQueue("renditions");
            opts.PublishMessage<MakeMissingThumbnails>().ToLocalQueue("renditions");
        });
        return builder;
    }

    /// <summary>JSON conventions, ProblemDetails for every error, OpenAPI + Swagger UI.</summary>
    public static WebApplicationBuilder AddCatalogApi(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            CatalogJson.Configure(o.SerializerOptions);
            // A field a command body does not take is refused by name, never silently dropped.
            o.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
        });
        builder.WebHost.ConfigureKestrel(RequestGuards.KestrelLimits);
        builder.Services.Configure<SocketTransportOptions>(sockets => sockets.UnsafePreferInlineScheduling = SocketThreads.Enabled);
        builder.Services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o => CatalogJson.Configure(o.JsonSerializerOptions));
        // A query value that is not of its parameter's type, or an unreadable body, is a 400 the exception handler words.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.FillIn);
        builder.Services.AddHealthChecks();
        builder.Services.AddHostedService<FirstRequest>(); // the service's own first request builds the endpoints
        builder.Services.AddCatalogAccess();
        builder.Services.AddCatalogCors();
        builder.Services.AddAllowedHostsFromUrls(builder.Configuration);
        builder.Services.AddExceptionHandler<ProblemMapping>();
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new()
            {
                Title = "Asset catalog",
                Version = "v1",
                Description = "Event-sourced catalog of generated media (images, video clips, audio) of music-video productions.",
            });
            swagger.OperationFilter<RequestBodies>();
            AccessInOpenApi.AddSchemes(swagger);
            swagger.SchemaFilter<AssetSchemas>();
            swagger.DocumentFilter<AssetSchemas.WithoutMetadataRecords>();
            swagger.CustomSchemaIds(AssetSchemas.Id);
            swagger.SupportNonNullableReferenceTypes();
        });
        return builder;
    }

    /// <summary>
    /// Reaches the database (starting the private cluster if that is the plan) before the host starts, so
    /// that "no PostgreSQL to be had" comes out as one message from Program, not as a host failure log.
    /// </summary>
    public static WebApplication OpenCatalogDatabase(this WebApplication app)
    {
        var database = app.Services.GetRequiredService<CatalogDatabase>();
        app.Logger.LogInformation("Catalog database: {Database}; data directory: {Data}",
            database.Description, app.Services.GetRequiredService<CatalogSettings>().DataDirectory);
        if (SocketThreads.Enabled) app.Logger.LogInformation("Small media answered on the socket threads (Catalog:InlineSockets)");
        return app;
    }
}
