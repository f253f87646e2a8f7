using System.Net;
using System.Text.Json;
using Catalog.Api.Access;
using Catalog.Api.Tests.Infrastructure;
using Catalog.Importer;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Api.Tests.Importing;

/// <summary>The local imports' calls as the CLI makes them (<c>POST /api/imports/folders|databases</c>) and their answer, a JSON line at a time.</summary>
internal static class LocalImportCalls
{
    public static string OperatorToken(this CatalogApp app) => app.Services.GetRequiredService<LocalOperator>().Token;

    public static async Task<HttpResponseMessage> LocalImport(this CatalogApp app, string route, string? key, object body, string? actor = null)
    {
        using var client = app.ClientWith(key);
        return await client.SendJson(HttpMethod.Post, route, body, actor);
    }

    /// <summary>The answer's lines, each parsed as the CLI parses it.</summary>
    public static async Task<List<ImportLine>> Lines(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ImportLine.ContentType, response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonSerializer.Deserialize(line, ImportJson.Default.ImportLine)!).ToList();
    }
}
