using Catalog.Domain.Assets;
using Catalog.Projections.Views;
using Catalog.Testing;
using Npgsql;

namespace Catalog.Projections.Tests;

/// <summary>
/// <see cref="ViewChanges"/>: the views' version moves once for every transaction that commits a change to a view, and
/// never otherwise — what makes the API's read cache exact.
/// </summary>
public sealed class TheViewsVersion(CatalogFixture fixture) : CatalogTest(fixture)
{
    private async Task<(long Table, long Changes)> VersionAsync()
    {
        await using var connection = Catalog.Store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(ViewChanges.VersionSql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private async Task RunAsync(bool commit, params string[] statements)
    {
        await using var connection = Catalog.Store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync();
        }
        if (commit) await transaction.CommitAsync();
        else await transaction.RollbackAsync();
    }

    [Fact]
    public async Task it_moves_once_per_committed_change_and_not_for_reads_or_rollbacks()
    {
        await Catalog.RegisterAsync(new ImageMetadata("generated", null, "neon", null, null, null, null), TestMedia.Png(seed: 1), "image/png", "a.png");
        var images = QuerySchema.Tables.Assets(AssetKind.Image);
        var start = await VersionAsync();

        await RunAsync(commit: true, $"select count(*) from {images}");
        Assert.Equal(start, await VersionAsync());

        await RunAsync(commit: false, $"update {images} set data = jsonb_set(data, '{{prompt}}', '\"x\"')");
        Assert.Equal(start, await VersionAsync());

        // Three statements, two tables, one transaction: one step.
        await RunAsync(commit: true,
            $"update {images} set data = jsonb_set(data, '{{prompt}}', '\"y\"')",
            $"update {images} set data = jsonb_set(data, '{{prompt}}', '\"z\"')",
            $"update {QuerySchema.Tables.Productions} set data = data");
        Assert.Equal((start.Table, start.Changes + 1), await VersionAsync());

        await Catalog.RegisterAsync(new ImageMetadata("generated", null, "dunes", null, null, null, null), TestMedia.Png(seed: 2), "image/png", "b.png");
        Assert.Equal((start.Table, start.Changes + 2), await VersionAsync());

        await Catalog.Store.Advanced.ResetAllData(); // a truncate is a change too
        Assert.True((await VersionAsync()).Changes > start.Changes + 2);
    }

    /// <summary>
    /// The other half of the read cache's exactness: a writer acknowledges a change only once <see cref="ViewChanges.Settle"/>
    /// has passed since its commit, so a reading of the version that began at most that long before a later request began
    /// after the commit. Every session of the catalog's store waits so before <c>SaveChangesAsync</c> returns.
    /// </summary>
    [Fact]
    public async Task every_commit_of_the_store_is_acknowledged_only_once_the_settle_time_has_passed()
    {
        Assert.Contains(Catalog.Store.Options.Listeners, l => l is ViewChanges.SettleAfterCommit);

        for (var i = 0; i < 5; i++)
        {
            var committed = System.Diagnostics.Stopwatch.GetTimestamp();
            await ViewChanges.SettleAsync(committed);
            Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(committed) >= ViewChanges.Settle);
        }
        var longAgo = System.Diagnostics.Stopwatch.GetTimestamp() - System.Diagnostics.Stopwatch.Frequency;
        Assert.True(ViewChanges.SettleAsync(longAgo).IsCompleted); // a commit older than the settle time: no wait

        var before = await VersionAsync();
        var saving = System.Diagnostics.Stopwatch.GetTimestamp();
        await Catalog.RegisterAsync(new ImageMetadata("generated", null, "settled", null, null, null, null), TestMedia.Png(seed: 3), "image/png", "s.png");
        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(saving) >= ViewChanges.Settle);
        Assert.Equal((before.Table, before.Changes + 1), await VersionAsync());
    }
}
