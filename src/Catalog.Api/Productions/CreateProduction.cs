using Catalog.Api.Http;
using Catalog.Application.Productions;
using Catalog.Domain.Productions;
using Catalog.Projections.Views;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Catalog.Api.Productions;

/// <param name="Id">Optional: an existing TEXT id such as <c>prod_…</c>; the service makes one when absent.</param>
public sealed record CreateProductionRequest(string? Id, string? Title, string? Artist);

public static class CreateProductionEndpoint
{
    /// <summary>Creates a production (status draft): 201 with the production and its location.</summary>
    public static async Task<Created<ProductionView>> Post(CreateProductionRequest request, [AsParameters] CommandServices command)
    {
        var id = string.IsNullOrWhiteSpace(request.Id) ? ProductionCommands.NewId() : request.Id.Trim();
        await ProductionCommands.HandleAsync(command.Session, new CreateProduction(id, request.Title, request.Artist), command.Caller, command.Clock, command.Ct);
        return TypedResults.Created(ProductionLink.Location(id), (await command.Session.LoadAsync<ProductionView>(id, command.Ct))!);
    }
}
