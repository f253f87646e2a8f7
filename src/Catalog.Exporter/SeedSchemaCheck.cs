using Microsoft.Data.Sqlite;

namespace Catalog.Exporter;

/// <summary>
/// Compares a SQLite file's schema with <see cref="SeedSchema.Ddl"/>, through SQLite's own description of
/// both (<c>table_info</c>, <c>foreign_key_list</c>, <c>index_list</c>, <c>index_info</c>, AUTOINCREMENT):
/// tables, columns in order with types, NOT NULL, defaults and keys, foreign keys with their actions, and
/// indexes — nothing missing, nothing extra.
/// </summary>
public static class SeedSchemaCheck
{
    /// <summary>Lines that describe one side and not the other (prefixed "missing: " or "extra: "); empty when equal.</summary>
    public static IReadOnlyList<string> Differences(SqliteConnection file)
    {
        using var reference = new SqliteConnection("Data Source=:memory:");
        reference.Open();
        using (var create = reference.CreateCommand())
        {
            create.CommandText = SeedSchema.Ddl;
            create.ExecuteNonQuery();
        }
        var expected = Describe(reference);
        var actual = Describe(file);
        return expected.Except(actual).Select(l => "missing: " + l)
            .Concat(actual.Except(expected).Select(l => "extra: " + l))
            .ToList();
    }

    public static List<string> Describe(SqliteConnection db)
    {
        var lines = new List<string>();
        foreach (var (table, sql) in Rows(db, "select name, sql from sqlite_master where type = 'table' order by name", r => (r.GetString(0), r.GetString(1))))
        {
            lines.Add($"table {table}{(sql.Contains("AUTOINCREMENT", StringComparison.OrdinalIgnoreCase) ? " autoincrement" : "")}");
            lines.AddRange(Rows(db, $"pragma table_info('{table}')", r =>
                $"column {table}[{r.GetInt32(0)}] {r.GetString(1)} {r.GetString(2)} notnull={r.GetInt32(3)} default={(r.IsDBNull(4) ? "none" : r.GetString(4))} pk={r.GetInt32(5)}"));
            lines.AddRange(Rows(db, $"pragma foreign_key_list('{table}')", r =>
                $"foreign key {table}.{r.GetString(3)} -> {r.GetString(2)}.{r.GetString(4)} on update {r.GetString(5)} on delete {r.GetString(6)}"));
            foreach (var (index, unique, origin, partial) in Rows(db, $"pragma index_list('{table}')",
                         r => (r.GetString(1), r.GetInt32(2), r.GetString(3), r.GetInt32(4))))
            {
                var columns = string.Join(",", Rows(db, $"pragma index_info('{index}')", r => r.IsDBNull(2) ? "(expr)" : r.GetString(2)));
                lines.Add($"index {table}.{index} ({columns}) unique={unique} origin={origin} partial={partial}");
            }
        }
        lines.AddRange(Rows(db, "select type || ' ' || name from sqlite_master where type not in ('table', 'index') order by name", r => r.GetString(0)));
        return lines;
    }

    private static List<T> Rows<T>(SqliteConnection db, string sql, Func<SqliteDataReader, T> read)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(read(reader));
        return rows;
    }
}
