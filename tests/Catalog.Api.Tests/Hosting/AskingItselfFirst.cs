using Catalog.Api.Hosting;
using Catalog.Api.Tests.Faults;
using Catalog.Testing;

namespace Catalog.Api.Tests.Hosting;

/// <summary>
/// The service, once it listens, asks itself first (<see cref="FirstRequest"/>): the endpoints and the router are built
/// before anyone from outside waits for them.
/// </summary>
public sealed class AskingItselfFirst
{
    [Fact]
    public async Task once_listening_the_service_answers_its_own_request_before_anyone_asks()
    {
        var database = await TestPostgres.CreateDatabaseAsync("catalog_first_request");
        using var data = new TempDirectory("catalog-first-request-");
        var logging = new Dictionary<string, string> { [$"Logging__LogLevel__{typeof(FirstRequest).FullName}"] = "Information" };
        await using var service = await ServiceProcess.StartAsync(database, data.Path, settings: logging);

        var until = DateTime.UtcNow.AddMinutes(1);
        while (!service.Output.Contains("Endpoints ready") && DateTime.UtcNow < until) await Task.Delay(100);
        Assert.Contains($"(GET http://127.0.0.1:{service.Port}{FirstRequest.Route}) answered 200 in ", service.Output);
        Assert.DoesNotContain("first request from outside builds the endpoints", service.Output);
    }
}
