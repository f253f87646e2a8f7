using Catalog.Testing;
using Marten;
using Npgsql;

namespace Catalog.Projections.Tests;

/// <summary>
/// <see cref="CatalogStore.SchemaIsCurrentAsync"/>: the CLI's one query at start, which decides whether it builds the store and
/// applies the schema. It must say no whenever the database was not last brought up to date by this build.
/// </summary>
public sealed class TheSchemaState
{
    [Fact]
    public async Task is_current_only_after_this_build_applied_it()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("catalog_schema");
        Assert.False(await CatalogStore.SchemaIsCurrentAsync(connectionString)); // an empty database: no schema at all

        await using var store = DocumentStore.For(o => o.ConfigureCatalog(connectionString));
        await store.ApplySchemaAsync();
        Assert.True(await CatalogStore.SchemaIsCurrentAsync(connectionString));

        // Another build (an older CLI, a newer service) applied it last.
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"update {CatalogStore.SchemaName}.catalog_schema_state set build = 'another build'", connection);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
        Assert.False(await CatalogStore.SchemaIsCurrentAsync(connectionString));

        await store.ApplySchemaAsync();
        Assert.True(await CatalogStore.SchemaIsCurrentAsync(connectionString));
    }
}
