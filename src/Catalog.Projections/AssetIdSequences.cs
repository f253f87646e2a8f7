using Catalog.Domain.Assets;
using Weasel.Postgresql;

namespace Catalog.Projections;

/// <summary>
/// The seed's INTEGER ids come from one PostgreSQL sequence per kind (<c>catalog.image_id_seq</c>, …), created with
/// the store's schema. The write side draws from them; the export reads how far they went.
/// </summary>
public static class AssetIdSequences
{
    public static string Name(AssetKind kind) => $"{kind.Name()}_id_seq";

    public static string Qualified(AssetKind kind) => $"{CatalogStore.SchemaName}.{Name(kind)}";

    internal static IEnumerable<Sequence> All(string schema) =>
        Enum.GetValues<AssetKind>().Select(kind => new Sequence(new PostgresqlObjectName(schema, Name(kind), SchemaUtils.IdentifierUsage.General)));

    /// <summary>The highest id the kind's sequence has handed out (0 when none): one bigint.</summary>
    public static string HighestIssuedSql(AssetKind kind) =>
        $"select case when is_called then last_value else 0 end from {Qualified(kind)}";
}
