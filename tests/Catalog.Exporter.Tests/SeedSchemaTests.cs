using Catalog.Testing;
using Microsoft.Data.Sqlite;

namespace Catalog.Exporter.Tests;

/// <summary>The DDL constant, applied to a real SQLite file, gives exactly the seed's schema.</summary>
public sealed class SeedSchemaTests : IDisposable
{
    private readonly TempDirectory _dir = new("catalog-schema-test-");

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={_dir["assets.db"]};Pooling=False");
        connection.Open();
        using var create = connection.CreateCommand();
        create.CommandText = SeedSchema.Ddl;
        create.ExecuteNonQuery();
        return connection;
    }

    private static List<string> Strings(SqliteConnection connection, string sql, int column = 0)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read()) values.Add(reader.GetValue(column)?.ToString() ?? "");
        return values;
    }

    [Fact]
    public void has_the_four_tables_and_eight_indexes_and_nothing_else()
    {
        using var db = Open();
        Assert.Equal(["audio", "images", "productions", "sqlite_sequence", "videos"],
            Strings(db, "select name from sqlite_master where type = 'table' order by name"));
        Assert.Equal(
        [
            "idx_audio_production", "idx_audio_type",
            "idx_images_created", "idx_images_production", "idx_images_type",
            "idx_videos_created", "idx_videos_production", "idx_videos_type",
        ], Strings(db, "select name from sqlite_master where type = 'index' and name not like 'sqlite_autoindex%' order by name"));
    }

    [Theory]
    [InlineData("productions", "id TEXT,title TEXT,artist TEXT,audio_filename TEXT,audio_duration REAL,created_at TEXT,updated_at TEXT,status TEXT,storyboard_json TEXT,settings_json TEXT")]
    [InlineData("images", "id INTEGER,filename TEXT,production_id TEXT,clip_id TEXT,image_type TEXT,prompt TEXT,size TEXT,mode TEXT,cfg REAL,steps INTEGER,created_at TEXT,file_size INTEGER,binary_data BLOB,mime_type TEXT")]
    [InlineData("videos", "id INTEGER,filename TEXT,production_id TEXT,clip_id TEXT,video_type TEXT,duration REAL,resolution TEXT,fps INTEGER,source_image_filename TEXT,prompt TEXT,camera_control TEXT,created_at TEXT,file_size INTEGER,binary_data BLOB,mime_type TEXT")]
    [InlineData("audio", "id INTEGER,filename TEXT,production_id TEXT,audio_type TEXT,duration REAL,sample_rate INTEGER,created_at TEXT,file_size INTEGER,binary_data BLOB,mime_type TEXT")]
    public void each_table_has_the_seeds_columns_in_order(string table, string columns)
    {
        using var db = Open();
        var names = Strings(db, $"pragma table_info({table})", 1);
        var types = Strings(db, $"pragma table_info({table})", 2);
        Assert.Equal(columns, string.Join(",", names.Zip(types, (n, t) => $"{n} {t}")));
    }

    [Theory]
    [InlineData("images")]
    [InlineData("videos")]
    [InlineData("audio")]
    public void assets_cascade_from_productions_and_filenames_are_unique(string table)
    {
        using var db = Open();
        Assert.Equal("productions|production_id|id|CASCADE",
            string.Join("|", new[] { 2, 3, 4, 6 }.Select(c => Strings(db, $"pragma foreign_key_list({table})", c).Single())));
        Assert.Contains("filename", Strings(db,
            $"select ii.name from pragma_index_list('{table}') il join pragma_index_info(il.name) ii where il.[unique] = 1 and il.origin = 'u'"));
        Assert.Contains("AUTOINCREMENT", Strings(db, $"select sql from sqlite_master where name = '{table}'").Single());
    }

    [Fact]
    public void a_production_defaults_to_draft()
    {
        using var db = Open();
        Assert.Equal("'draft'", Strings(db, "pragma table_info(productions)", 4)[7]);
    }

    public void Dispose() => _dir.Dispose();
}
