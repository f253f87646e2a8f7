using Catalog.Api.Http;
using Catalog.Application.Productions;
using Catalog.Domain.Productions;
using Catalog.Projections.Views;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Api.Productions;

/// <summary>
/// Deleting a production takes its assets into the trash with it (the seed's ON DELETE CASCADE); restoring brings
/// them back, all in one transaction, or nothing when one of their filenames was taken meanwhile (409). The events stay.
/// </summary>
public static class DeleteProductionEndpoints
{
    public static async Task<NoContent> Delete(string id, [FromQuery(Name = "expected_version")] long? expectedVersion,
        [AsParameters] CommandServices command)
    {
        await ProductionCommands.HandleAsync(command.Session, new DeleteProduction(id, expectedVersion), command.Caller, command.Clock, command.Ct);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<ProductionDetail>> Restore(string id, [AsParameters] CommandServices command)
    {
        await ProductionCommands.HandleAsync(command.Session, new RestoreProduction(id), command.Caller, command.Clock, command.Ct);
        return TypedResults.Ok(await ProductionDetail.LoadAsync(command.Session, id, command.Ct));
    }
}
