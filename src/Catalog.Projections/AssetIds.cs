using Catalog.Domain.Assets;
using Marten;
using Weasel.Postgresql;

namespace Catalog.Projections;

/// <summary>
/// The seed's INTEGER ids: one PostgreSQL sequence per kind. A number is taken when a registration is
/// decided and never handed out again, even if that registration then fails (like AUTOINCREMENT, gaps allowed).
/// </summary>
public static class AssetIds
{
    public static string SequenceName(AssetKind kind) => $"{kind.Name()}_id_seq";

    internal static IEnumerable<Sequence> Sequences(string schema) =>
        Enum.GetValues<AssetKind>().Select(kind => new Sequence(new PostgresqlObjectName(schema, SequenceName(kind), SchemaUtils.IdentifierUsage.General)));

    /// <summary>The highest id the kind's sequence has handed out (0 when none).</summary>
    public static async Task<long> HighestIssuedAsync(IQuerySession session, AssetKind kind, CancellationToken ct)
    {
        var values = await session.QueryAsync<long>(
            $"select case when is_called then last_value else 0 end from {session.DocumentStore.Options.DatabaseSchemaName}.{SequenceName(kind)}", ct);
        return values.Single();
    }

    public static async Task<long> NextAsync(IQuerySession session, AssetKind kind, CancellationToken ct)
    {
        var ids = await session.QueryAsync<long>(
            $"select nextval('{session.DocumentStore.Options.DatabaseSchemaName}.{SequenceName(kind)}')", ct);
        return ids.Single();
    }
}
