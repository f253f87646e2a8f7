using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Catalog.Importer;
using Catalog.Infrastructure;

namespace Catalog.Cli;

/// <summary>
/// <c>import-fs</c> and <c>import-db</c> handed to the service running on this machine (<see cref="LocalService"/>: it wrote
/// where it listens and the operator's token into the data folder, readable by its own user): the service imports the
/// folder or the file where it lies, with its code compiled and its store open, so the import pays no process start, and
/// this program — native code, no Marten store — prints what it answers, line by line, as the import in this process would.
/// A service that does not answer is passed over: the import then runs here.
/// </summary>
internal static class ServiceImport
{
    public static Task<int?> FolderAsync(LocalService service, FileImportOptions options, CliConsole console, CancellationToken ct) =>
        TryRunAsync(service, "/api/imports/folders", JsonContent.Create(FolderImportRequest.Of(options), ImportJson.Default.FolderImportRequest),
            $"{options.Root}{(options.DeleteSource ? " (deleting each source file once the catalog holds it)" : "")}", "files", console, ct);

    public static Task<int?> DatabaseAsync(LocalService service, DatabaseImportRequest request, CliConsole console, CancellationToken ct) =>
        TryRunAsync(service, "/api/imports/databases", JsonContent.Create(request, ImportJson.Default.DatabaseImportRequest), request.Path, "rows", console, ct);

    /// <returns>The exit code, or null when the service did not answer (nothing was imported through it).</returns>
    private static async Task<int?> TryRunAsync(LocalService service, string route, HttpContent content, string source, string unit, CliConsole console, CancellationToken ct)
    {
        var url = service.Urls[0];
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = Timeout.InfiniteTimeSpan };
        var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", service.OperatorToken);
        request.Headers.Add("X-Actor", Environment.UserName);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e)
        {
            console.Error($"The service at {url} (process {service.Pid}) did not answer ({e.Message}); importing in this process.");
            return null;
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                console.Error($"The service at {url} refused the import ({(int)response.StatusCode}): {await DetailAsync(response, ct)}");
                return 2;
            }
            console.Line($"Importing {source} through the service at {url} (--no-service imports in this process)");
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            using var reader = new StreamReader(body);
            var entries = new List<ImportEntry>();
            string? failed = null;
            var summary = await console.WithProgressAsync("import", 0, unit, async progress =>
            {
                while (await NextLineAsync(reader, ct) is { } text)
                {
                    if (text.Length == 0) continue;
                    var line = JsonSerializer.Deserialize(text, ImportJson.Default.ImportLine)!;
                    if (line.Progress is { } now) progress.Report(now);
                    if (line.Entry is { } entry)
                    {
                        entries.Add(entry);
                        if (!console.Interactive) console.Line(Commands.Describe(entry));
                    }
                    if (line.Failed is { } why) failed = why;
                    if (line.Summary is { } done) return done;
                }
                return null;
            });
            if (summary is null)
            {
                console.Error(failed ?? $"The service at {url} stopped answering before the import's end; what was registered stays, run the import again for the rest.");
                return 2;
            }
            return Commands.Summarise(console, summary, entries);
        }
    }

    /// <summary>The answer's next line; null at its end, or when the service went away midway (the summary is then missing).</summary>
    private static async Task<string?> NextLineAsync(StreamReader reader, CancellationToken ct)
    {
        try
        {
            return await reader.ReadLineAsync(ct);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>A ProblemDetails' detail, else the body as it came.</summary>
    private static async Task<string> DetailAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            using var problem = JsonDocument.Parse(text);
            if (problem.RootElement.TryGetProperty("detail", out var detail) && detail.GetString() is { } said) return said;
        }
        catch (JsonException)
        {
            // not JSON: shown as it came
        }
        return text.Length > 0 ? text : response.ReasonPhrase ?? "";
    }
}
