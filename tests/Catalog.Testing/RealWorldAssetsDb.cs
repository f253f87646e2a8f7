using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Catalog.Testing;

/// <summary>
/// An <c>assets.db</c> as an application of the seed's design leaves it, made by the <c>sqlite3</c> shell from the seed's
/// DDL (<c>tests/media/seed-schema.sql</c>) — not by the exporter: types and statuses outside the seed's comments
/// (storyboard, song, sfx, voiceover, stem, archived …), sizes and resolutions in other spellings, zeros for unknown
/// numbers, ids with gaps, SQLite's own timestamp form beside ISO-8601, and every format of <c>tests/media</c> as BLOBs.
/// </summary>
public static class RealWorldAssetsDb
{
    /// <summary>The rows' types, as a user of such an application would have them.</summary>
    public static readonly string[] ImageTypes = ["storyboard", "generated", "moodboard", "reference"];
    public static readonly string[] VideoTypes = ["clip", "broll", "lyric video", "final"];
    public static readonly string[] AudioTypes = ["song", "sfx", "voiceover", "stem", "original"];

    /// <summary>Makes the file in <paramref name="folder"/> with the sqlite3 shell; returns its path.</summary>
    public static async Task<string> CreateAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        var wav = Path.Combine(folder, "tone.wav");
        await File.WriteAllBytesAsync(wav, TestMedia.Wav(1.5, 22_050));
        var png = Path.Combine(folder, "wide.png");
        await File.WriteAllBytesAsync(png, TestMedia.Png(512, 288, seed: 9));
        string Media(string name) => $"readfile('{TestMedia.Fixture(name)}')";

        var sql = $$"""
            .read '{{TestMedia.Fixture("seed-schema.sql")}}'
            INSERT INTO productions VALUES
              ('prod_mv1', 'Night Drive', 'Van Williams', 'night-drive.mp3', 182.5, '2024-03-01 10:00:00', '2024-03-02 11:30:00', 'archived',
               '{"clips":[{"id":"clip_001","prompt":"neon"}]}', '{"fps":24}'),
              ('prod_mv2', 'Second Light', 'Jo Ortega', NULL, NULL, '2024-04-05T06:07:08Z', '2024-04-05T06:07:08Z', 'in review', NULL, NULL),
              ('prod_mv3', NULL, NULL, NULL, NULL, '2024-05-01 00:00:00', '2024-05-01 00:00:00', 'completed', '{}', '{}');
            INSERT INTO images (id, filename, production_id, clip_id, image_type, prompt, size, mode, cfg, steps, created_at, binary_data, mime_type) VALUES
              (3, 'board_001.jpg', 'prod_mv1', 'clip_001', 'storyboard', 'a neon road at night', '320x240', 'sketch', 0, 0, '2024-03-01 10:05:00', {{Media("still-320x240.jpg")}}, 'image/jpeg'),
              (7, 'mood.webp', 'prod_mv1', NULL, 'moodboard', NULL, '', NULL, NULL, NULL, '2024-03-01 10:06:00', {{Media("still-300x150.webp")}}, 'image/webp'),
              (8, 'spin.gif', 'prod_mv2', NULL, 'generated', 'a spinning record', '200X100', 'txt2img', 7.5, 30, '2024-04-05T06:08:00.250Z', {{Media("still-200x100.gif")}}, 'image/gif'),
              (12, 'wide.png', NULL, NULL, 'reference', 'wide shot', '512x288 (upscaled)', 'inpaint', 12.25, 150, '2024-05-01 00:01:00', readfile('{{png}}'), 'image/png');
            INSERT INTO videos (id, filename, production_id, clip_id, video_type, duration, resolution, fps, source_image_filename, prompt, camera_control, created_at, binary_data, mime_type) VALUES
              (2, 'clip_001.mp4', 'prod_mv1', 'clip_001', 'clip', 3.0, '720p', 24, 'board_001.jpg', 'drive', 'dolly in', '2024-03-01 10:10:00', {{Media("clip-720p-24fps-3s.mp4")}}, 'video/mp4'),
              (5, 'broll.mov', 'prod_mv1', NULL, 'broll', 2.0, '4K', 0, NULL, NULL, NULL, '2024-03-01 10:11:00', {{Media("clip-360p-30fps-2s.mov")}}, 'video/quicktime'),
              (9, 'lyrics.webm', 'prod_mv2', NULL, 'lyric video', NULL, NULL, NULL, NULL, 'words on screen', NULL, '2024-04-05T06:09:00Z', {{Media("clip-480p-25fps-2s.webm")}}, 'video/webm');
            INSERT INTO audio (id, filename, production_id, audio_type, duration, sample_rate, created_at, binary_data, mime_type) VALUES
              (1, 'night-drive.mp3', 'prod_mv1', 'song', 2.0, 32000, '2024-03-01 10:00:01', {{Media("tone-32000-2s.mp3")}}, 'audio/mpeg'),
              (4, 'door.ogg', 'prod_mv1', 'sfx', 2.0, 22050, '2024-03-01 10:00:02', {{Media("tone-22050-2s.ogg")}}, 'audio/ogg'),
              (6, 'intro-vo.flac', 'prod_mv2', 'voiceover', NULL, 0, '2024-04-05T06:10:00Z', {{Media("tone-44100-2s.flac")}}, 'audio/flac'),
              (10, 'bass-stem.m4a', 'prod_mv2', 'stem', 2.0, 44100, '2024-04-05T06:11:00Z', {{Media("tone-44100-2s.m4a")}}, 'audio/mp4'),
              (11, 'tone.wav', NULL, 'original', 1.5, 22050, '2024-05-01 00:02:00', readfile('{{wav}}'), 'audio/wav');
            UPDATE images SET file_size = length(binary_data);
            UPDATE videos SET file_size = length(binary_data);
            UPDATE audio SET file_size = length(binary_data);
            """;
        var path = Path.Combine(folder, "assets.db");
        var start = new ProcessStartInfo("sqlite3", [path]) { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("sqlite3 did not start");
        await process.StandardInput.WriteAsync(sql);
        process.StandardInput.Close();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 || errors.Length > 0) throw new InvalidOperationException($"sqlite3: {errors}");
        return path;
    }

    /// <summary>
    /// A table's rows as text, for comparing two files: BLOBs as their sha256, timestamps as the instant they name (the
    /// catalog writes them as ISO-8601 UTC, whatever form they came in), every other value exactly.
    /// </summary>
    public static List<string> Rows(string path, string table)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = $"select * from {table} order by 1";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => $"{reader.GetName(i)}={Value(reader.GetName(i), reader.GetValue(i))}")));
        }
        return rows;
    }

    private static string Value(string column, object value) => value switch
    {
        DBNull => "NULL",
        byte[] bytes => TestMedia.Sha256(bytes),
        string text when column is "created_at" or "updated_at" =>
            DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    /// <summary>Every table of the seed, with sqlite_sequence (the next ids).</summary>
    public static readonly string[] Tables = ["productions", "images", "videos", "audio", "sqlite_sequence"];
}
