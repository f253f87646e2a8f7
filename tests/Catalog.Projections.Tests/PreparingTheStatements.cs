using Catalog.Testing;
using Marten;
using Npgsql;

namespace Catalog.Projections.Tests;

/// <summary>
/// <see cref="PreparedStatements"/>: the write side's connections (Marten's) and the read side's prepare what they run
/// again, unless the connection string says otherwise.
/// </summary>
public sealed class PreparingTheStatements
{
    private const string Server = "Host=127.0.0.1;Port=5432;Username=u;Password=p;Database=catalog";

    [Fact]
    public void a_connection_string_is_given_automatic_preparation()
    {
        var prepared = PreparedStatements.Prepared(Server, statements: 64);
        Assert.Equal(64, prepared.MaxAutoPrepare);
        Assert.Equal(2, prepared.AutoPrepareMinUsages);
        Assert.Equal("127.0.0.1", prepared.Host);
        Assert.Equal("p", prepared.Password);
    }

    [Theory]
    [InlineData("Max Auto Prepare=0", 0)]
    [InlineData("max auto prepare=5", 5)]
    [InlineData("MaxAutoPrepare=7", 7)]
    public void a_connection_string_that_sets_it_keeps_its_own_value(string setting, int kept) =>
        Assert.Equal(kept, PreparedStatements.Prepared($"{Server};{setting}", statements: 64).MaxAutoPrepare);

    [Fact]
    public async Task the_stores_connections_prepare_the_writes_they_repeat()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("catalog_prepared");
        await using var store = DocumentStore.For(o => o.ConfigureCatalog(connectionString));
        await using var connection = store.Storage.Database.CreateConnection();
        Assert.Equal(64, new NpgsqlConnectionStringBuilder(connection.ConnectionString).MaxAutoPrepare);

        // The same statement run three times on one of its connections is prepared there (the server lists it).
        await connection.OpenAsync();
        for (var i = 0; i < 3; i++)
        {
            await using var command = new NpgsqlCommand("select $1::int + 1", connection) { Parameters = { new() { Value = i } } };
            await command.ExecuteScalarAsync();
        }
        await using var listed = new NpgsqlCommand("select count(*) from pg_prepared_statements where statement like 'select $1::int + 1%'", connection);
        Assert.Equal(1L, await listed.ExecuteScalarAsync());
    }
}
