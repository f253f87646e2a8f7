namespace Catalog.Api.Productions;

/// <summary>
/// A production is answered as its view (<see cref="Catalog.Projections.Views.ProductionView"/>), which is stored in
/// the API's shape: the seed's <c>productions</c> columns, then <c>audio_id</c> and <c>version</c> (pass it as
/// <c>expected_version</c> to make a command conditional).
/// </summary>
public static class ProductionLinks
{
    public static string Location(string productionId) => $"/api/gallery/production/{Uri.EscapeDataString(productionId)}";
}
