using Catalog.Api.Http;
using Catalog.Application.Productions;
using Catalog.Domain.Productions;
using Catalog.Projections.Views;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Api.Productions;

/// <summary>Fields left out (or null) stay as they are; an empty string clears one.</summary>
public sealed record ChangeProductionDetailsRequest(string? Title, string? Artist);

/// <param name="Status">draft, generating or completed.</param>
public sealed record ChangeProductionStatusRequest(string? Status);

/// <summary>Either the id of a registered audio asset (its filename and duration are taken from it), or a filename and duration.</summary>
public sealed record AttachProductionAudioRequest(long? AudioId, string? AudioFilename, double? AudioDuration);

/// <summary>
/// Changing an existing production: each endpoint turns the request into its command, runs the command's handler and
/// answers with the production as it is now. <c>?expected_version=N</c> makes a change conditional (409 when the
/// production has moved on). The storyboard and the settings are JSON documents kept exactly as sent: the body is the document.
/// </summary>
public static class ChangeProductionEndpoints
{
    /// <summary>Large storyboards are fine; a body past this is refused with 413.</summary>
    public const int MaxDocumentBytes = 16 * 1024 * 1024;

    public static Task<Ok<ProductionView>> PatchDetails(string id, ChangeProductionDetailsRequest request,
        [FromQuery(Name = "expected_version")] long? expectedVersion, [AsParameters] CommandServices command) =>
        RunAsync(id, command, ProductionCommands.HandleAsync(command.Session,
            new ChangeProductionDetails(id, request.Title, request.Artist, expectedVersion), command.Caller, command.Clock, command.Ct));

    public static Task<Ok<ProductionView>> PostStatus(string id, ChangeProductionStatusRequest request,
        [FromQuery(Name = "expected_version")] long? expectedVersion, [AsParameters] CommandServices command) =>
        RunAsync(id, command, ProductionCommands.HandleAsync(command.Session,
            new ChangeProductionStatus(id, request.Status ?? "", expectedVersion), command.Caller, command.Clock, command.Ct));

    public static Task<Ok<ProductionView>> PutAudio(string id, AttachProductionAudioRequest request,
        [FromQuery(Name = "expected_version")] long? expectedVersion, [AsParameters] CommandServices command) =>
        RunAsync(id, command, ProductionCommands.HandleAsync(command.Session,
            new AttachProductionAudio(id, request.AudioId, request.AudioFilename, request.AudioDuration, expectedVersion), command.Caller, command.Clock, command.Ct));

    public static async Task<Ok<ProductionView>> PutStoryboard(string id, HttpRequest request,
        [FromQuery(Name = "expected_version")] long? expectedVersion, [AsParameters] CommandServices command)
    {
        var json = await JsonBodies.ReadDocumentAsync(request, MaxDocumentBytes, command.Ct);
        return await RunAsync(id, command, ProductionCommands.HandleAsync(command.Session,
            new ReplaceStoryboard(id, json, expectedVersion), command.Caller, command.Clock, command.Ct));
    }

    public static async Task<Ok<ProductionView>> PutSettings(string id, HttpRequest request,
        [FromQuery(Name = "expected_version")] long? expectedVersion, [AsParameters] CommandServices command)
    {
        var json = await JsonBodies.ReadDocumentAsync(request, MaxDocumentBytes, command.Ct);
        return await RunAsync(id, command, ProductionCommands.HandleAsync(command.Session,
            new ReplaceSettings(id, json, expectedVersion), command.Caller, command.Clock, command.Ct));
    }

    private static async Task<Ok<ProductionView>> RunAsync(string id, CommandServices command, Task handled)
    {
        await handled;
        return TypedResults.Ok((await command.Session.LoadAsync<ProductionView>(id, command.Ct))!);
    }
}
