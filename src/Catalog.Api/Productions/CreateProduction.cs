using System.Text.Json;
using Catalog.Api.Http;
using Catalog.Application.Productions;
using Catalog.Domain;
using Catalog.Domain.Productions;
using Catalog.Projections.Views;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Catalog.Api.Productions;

/// <summary>
/// A production: every column of the seed's <c>productions</c> row may be given, so a client migrating its rows keeps
/// them whole. Only <c>id</c>, <c>title</c> and <c>artist</c> make a new draft; any other column makes it a production
/// brought in as it was (recorded as <c>production.imported</c>).
/// </summary>
/// <param name="Id">Optional: an existing TEXT id such as <c>prod_…</c>; the service makes one when absent.</param>
/// <param name="Status">Kept as given (the well-known ones: draft, generating, completed); draft when absent.</param>
/// <param name="Storyboard">The storyboard as a JSON document (or <paramref name="StoryboardJson"/>, the seed's text column).</param>
/// <param name="Settings">The settings as a JSON document (or <paramref name="SettingsJson"/>).</param>
/// <param name="CreatedAt">When the production was made, for rows from elsewhere (ISO-8601, or SQLite's <c>2024-03-01 10:00:00</c>, taken as UTC); now when absent.</param>
/// <param name="UpdatedAt">When it last changed, likewise; never before <paramref name="CreatedAt"/>.</param>
public sealed record CreateProductionRequest(
    string? Id, string? Title, string? Artist, string? AudioFilename = null, double? AudioDuration = null, string? Status = null,
    JsonElement? Storyboard = null, JsonElement? Settings = null, string? StoryboardJson = null, string? SettingsJson = null,
    string? CreatedAt = null, string? UpdatedAt = null)
{
    /// <summary>Whether the request carries more than a new draft's columns.</summary>
    public bool IsWholeRow => AudioFilename is not null || AudioDuration is not null || Status is not null || Storyboard is not null ||
                              Settings is not null || StoryboardJson is not null || SettingsJson is not null || CreatedAt is not null || UpdatedAt is not null;
}

public static class CreateProductionEndpoint
{
    /// <summary>Creates a production: 201 with the production and its location.</summary>
    public static async Task<Created<ProductionView>> Post(CreateProductionRequest request, [AsParameters] CommandServices command)
    {
        var id = string.IsNullOrWhiteSpace(request.Id) ? ProductionCommands.NewId() : request.Id.Trim();
        if (request.IsWholeRow)
        {
            var import = new ImportProduction(id, request.Title, request.Artist, request.AudioFilename, request.AudioDuration, request.Status,
                Document(request.Storyboard, request.StoryboardJson, "storyboard"), Document(request.Settings, request.SettingsJson, "settings"),
                ApiProblem.OrBadRequest(() => SeedTimestamps.Parse(request.CreatedAt, "created_at")),
                ApiProblem.OrBadRequest(() => SeedTimestamps.Parse(request.UpdatedAt, "updated_at")), "POST /api/productions");
            if (!await ProductionCommands.HandleAsync(command.Session, import, command.Caller, command.Clock, command.Ct))
                throw DomainException.Conflict($"Production '{id}' already exists.");
        }
        else
        {
            await ProductionCommands.HandleAsync(command.Session, new CreateProduction(id, request.Title, request.Artist), command.Caller, command.Clock, command.Ct);
        }
        return TypedResults.Created(ProductionLink.Location(id), (await command.Session.LoadAsync<ProductionView>(id, command.Ct))!);
    }

    /// <summary>A JSON document given as JSON (kept as sent) or as the seed's text column; not both.</summary>
    private static string? Document(JsonElement? document, string? text, string name)
    {
        if (document is { ValueKind: not JsonValueKind.Null } given)
        {
            if (text is not null) throw ApiProblem.BadRequest($"Give {name} or {name}_json, not both.");
            return given.GetRawText();
        }
        return text;
    }
}
