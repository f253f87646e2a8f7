using Catalog.Api.Hosting;
using Catalog.Domain.Productions;
using Catalog.Projections.Views;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Catalog.Api.Productions;

/// <summary>
/// The storyboard and the settings are JSON documents the catalog keeps as given (the seed's
/// <c>storyboard_json</c>, <c>settings_json</c>): the request body is the document itself.
/// </summary>
public static class ReplaceProductionDocumentsEndpoint
{
    /// <summary>Large storyboards are fine; a body past this is refused with 413.</summary>
    public const int MaxDocumentBytes = 16 * 1024 * 1024;

    [WolverinePut("/api/productions/{id}/storyboard"), Tags("Productions"), EndpointSummary("Replace the storyboard JSON")]
    [AcceptsJsonDocument]
    [ProducesResponseType<ProductionView>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType)]
    public static async Task<ProductionView> PutStoryboard(
        string id, HttpRequest request, [FromQuery(Name = "expected_version")] long? expectedVersion,
        IDocumentSession session, [NotBody] Caller caller, TimeProvider clock, CancellationToken ct)
    {
        var json = await ReadJsonBodyAsync(request, ct);
        return await ProductionCommand.Run(session, id, expectedVersion, ct, state =>
            ProductionDecisions.ReplaceStoryboard(state, id, new ReplaceStoryboard(json), caller.Actor, clock.GetUtcNow()));
    }

    [WolverinePut("/api/productions/{id}/settings"), Tags("Productions"), EndpointSummary("Replace the settings JSON")]
    [AcceptsJsonDocument]
    [ProducesResponseType<ProductionView>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType)]
    public static async Task<ProductionView> PutSettings(
        string id, HttpRequest request, [FromQuery(Name = "expected_version")] long? expectedVersion,
        IDocumentSession session, [NotBody] Caller caller, TimeProvider clock, CancellationToken ct)
    {
        var json = await ReadJsonBodyAsync(request, ct);
        return await ProductionCommand.Run(session, id, expectedVersion, ct, state =>
            ProductionDecisions.ReplaceSettings(state, id, new ReplaceSettings(json), caller.Actor, clock.GetUtcNow()));
    }

    private static async Task<string> ReadJsonBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasJsonContentType())
            throw ApiProblem.UnsupportedMediaType("Send the document as application/json.");
        if (request.ContentLength > MaxDocumentBytes)
            throw ApiProblem.TooLarge($"The document is larger than {MaxDocumentBytes:N0} bytes.");

        using var reader = new StreamReader(request.Body);
        var buffer = new char[MaxDocumentBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await reader.ReadAsync(buffer.AsMemory(length), ct)) > 0) length += read;
        if (length > MaxDocumentBytes)
            throw ApiProblem.TooLarge($"The document is larger than {MaxDocumentBytes:N0} characters.");
        return new string(buffer, 0, length);
    }
}
