using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Testing;

namespace Catalog.Api.Tests.Hosting;

public sealed class StartingTheService(CatalogApp app) : ApiTest(app)
{
    [Fact]
    public async Task serves_swagger_ui_and_an_openapi_document_with_every_endpoint()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/swagger/index.html")).StatusCode);
        var document = await (await Client.GetAsync("/swagger/v1/swagger.json")).Json(HttpStatusCode.OK);
        var paths = document.GetProperty("paths");

        string[] expected =
        [
            "/api/productions", "/api/productions/{id}", "/api/productions/{id}/status", "/api/productions/{id}/storyboard",
            "/api/productions/{id}/settings", "/api/productions/{id}/audio",
            "/api/images", "/api/videos", "/api/audio", "/api/images/{id}", "/api/videos/{id}", "/api/audio/{id}",
            "/api/images/{id}/production", "/api/gallery/image/{id}", "/api/gallery/video/{id}", "/api/gallery/audio/{id}",
            "/api/gallery/production/{id}", "/api/media/image/{id}", "/api/media/video/{id}", "/api/media/audio/{id}",
        ];
        foreach (var path in expected) Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the OpenAPI document");

        var upload = paths.GetProperty("/api/images").GetProperty("post").GetProperty("requestBody").GetProperty("content");
        var fields = upload.GetProperty("multipart/form-data").GetProperty("schema").GetProperty("properties");
        Assert.Equal(JsonValueKind.Object, fields.GetProperty("file").ValueKind);
        Assert.Equal(JsonValueKind.Object, fields.GetProperty("image_type").ValueKind);
    }

    [Fact]
    public async Task without_postgresql_it_exits_with_a_message_not_a_stack_trace()
    {
        using var data = new TempDirectory();
        var start = new ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = data.Path,
            Environment =
            {
                ["ConnectionStrings__Catalog"] = "",
                ["Catalog__PostgresBinDirectory"] = data["no-postgres-here"],
                ["Catalog__DataDirectory"] = data["catalog-data"],
                ["Urls"] = "http://127.0.0.1:0",
            },
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);

        var message = await stderr;
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("No PostgreSQL to use", message);
        Assert.Contains("ConnectionStrings__Catalog", message);
        Assert.Contains("apt-get install postgresql", message);
        Assert.DoesNotContain("   at ", message + await stdout);
    }
}
