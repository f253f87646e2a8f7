using Catalog.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Catalog.Exporter;

/// <summary>
/// Where a row of an <c>assets.db</c> keeps its bytes — the seed's read rule: <c>binary_data</c> when it is not NULL,
/// else <c>data/{table}/{filename}</c> beside the file (the hybrid layout an export writes). Read by <c>import-db</c>
/// and by portable mode.
/// </summary>
public static class AssetsDbContent
{
    /// <summary>
    /// The row's bytes as a stream — SQLite's incremental BLOB I/O on <paramref name="db"/> (which must stay open while it
    /// is read), or the file beside — or null when neither is there; <paramref name="where"/> names the place, for messages.
    /// </summary>
    /// <param name="beside">The row's <c>binary_data</c> is NULL (asked with <c>length(binary_data) is null</c>, which does not read the BLOB).</param>
    public static Stream? Open(SqliteConnection db, string directory, string table, long rowId, string filename, bool beside, out string where)
    {
        if (!beside)
        {
            where = "binary_data";
            return new SqliteBlob(db, table, "binary_data", rowId, readOnly: true);
        }
        var path = Beside(directory, table, filename, out where);
        return path is null ? null : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
    }

    /// <summary>The file <c>data/{table}/{filename}</c> beside the database, or null when it is not there.</summary>
    public static string? Beside(string directory, string table, string filename, out string where)
    {
        where = $"data/{table}/{filename}";
        var path = Path.Combine(directory, "data", table, filename);
        if (!File.Exists(path)) return null;
        // Only files that are really beside the database: a symlink (of the file or a folder) leading out of data/ is not followed.
        if (!FileSystem.IsInside(Path.Combine(directory, "data"), path))
        {
            where += $" (a link to {FileSystem.RealPath(path)}, outside data/ beside the database)";
            return null;
        }
        return path;
    }
}
