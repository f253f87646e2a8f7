using System.CommandLine;
using System.Globalization;
using Catalog.Exporter;
using Catalog.Cli;
using Catalog.Domain.Assets;
using Catalog.Importer;

// The catalog's command line. From the repository root (the same ./appsettings.json and ./catalog-data as
// the service, which it reaches — or starts — by itself):
//   dotnet run --project src/Catalog.Cli -- export --out backup/assets.db [--hybrid] [--production ID] [--as-of T] [--strict]
//   dotnet run --project src/Catalog.Cli -- verify backup/assets.db [--production ID] [--as-of T]
//   dotnet run --project src/Catalog.Cli -- import-fs --root old-app [--delete-source] [--image-type T] [--video-type T] [--audio-type T] [--parallel N] [--batch N] [--commits N] [--no-service]
//   dotnet run --project src/Catalog.Cli -- import-db backup/assets.db [--parallel N] [--no-service]
//   dotnet run --project src/Catalog.Cli -- rebuild
//   dotnet run --project src/Catalog.Cli -- purge [--all]
//   dotnet run --project src/Catalog.Cli -- keys add NAME --role read|write|admin [--acts-for-others] | keys list | keys revoke NAME
var output = new Option<FileInfo>("--out", "-o") { Description = "The assets.db to write (replaced atomically).", Required = true };
var hybrid = new Option<bool>("--hybrid") { Description = "binary_data NULL; the files beside the database under data/images|videos|audio/." };
var production = new Option<string?>("--production", "-p") { Description = "Only this production and its assets." };
var asOf = new Option<DateTimeOffset?>("--as-of")
{
    Description = "The catalog as it was at this instant (ISO-8601, e.g. 2026-11-20T12:00:00Z), rebuilt from the events.",
    CustomParser = result => DateTimeOffset.Parse(result.Tokens.Single().Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
};
var strict = new Option<bool>("--strict") { Description = "Fail when a binary is too large for SQLite instead of writing it beside the database." };
var maxInline = new Option<long?>("--max-inline-mb")
{
    Description = "Write binaries larger than this beside the database (binary_data NULL) to bound memory: SQLite holds each row in memory once while storing it.",
};
var file = new Argument<FileInfo>("file") { Description = "The assets.db to check." };

var export = new Command("export", "Write the portable assets.db (the seed's schema, every binary inline).")
{
    output, hybrid, production, asOf, strict, maxInline,
};
export.SetAction((parse, ct) => Commands.ExportAsync(new ExportOptions(
    parse.GetValue(output)!.FullName,
    parse.GetValue(hybrid) ? ExportMode.Hybrid : ExportMode.Portable,
    parse.GetValue(production),
    parse.GetValue(asOf),
    parse.GetValue(strict),
    MaxInlineBytes: parse.GetValue(maxInline) * 1024 * 1024), ct));

var verify = new Command("verify", "Check an assets.db against the catalog: schema, rows, and every binary's sha256.")
{
    file, production, asOf,
};
verify.SetAction((parse, ct) => Commands.VerifyAsync(parse.GetValue(file)!.FullName, parse.GetValue(production), parse.GetValue(asOf), ct));

var importRoot = new Option<DirectoryInfo>("--root", "-r") { Description = "The folder with data/images, data/videos, data/audio, data/productions (or those folders directly).", Required = true };
var deleteSource = new Option<bool>("--delete-source") { Description = "Delete each file once the catalog holds it (blob read back, sha256 checked, event appended)." };
// One --{kind}-type option per kind: the bytes cannot say it.
var types = AssetKinds.All.Select(kind => (kind, option: new Option<string>($"--{kind.Name}-type")
{
    Description = $"{kind.TypeField} for the {kind.Table} (the bytes cannot say it): any text; the well-known ones are {string.Join(", ", kind.WellKnownTypes)}.",
    DefaultValueFactory = _ => kind.WellKnownTypes[0],
})).ToList();
var parallel = new Option<int>("--parallel") { Description = "Files (or rows) read, hashed and staged at once.", DefaultValueFactory = _ => 4 };
var batch = new Option<int>("--batch")
{
    Description = "Files registered together: one transaction and one flush to disk for the batch.",
    DefaultValueFactory = _ => 256,
};
var commits = new Option<int>("--commits")
{
    Description = "Batches registered at once (a kill loses at most these, which the next run imports).",
    DefaultValueFactory = _ => 2,
};
var noService = new Option<bool>("--no-service")
{
    Description = "Import in this process even when the service runs on this machine (by default the running service imports the folder or file where it lies: no start to pay).",
};
var importFs = new Command("import-fs", "Import a folder of media files and production JSON files (the seed's migration).")
{
    importRoot, deleteSource, parallel, batch, commits, noService,
};
foreach (var (_, option) in types) importFs.Options.Add(option);
importFs.SetAction((parse, ct) => Commands.ImportFilesAsync(new FileImportOptions(parse.GetValue(importRoot)!.FullName, parse.GetValue(deleteSource),
    types.ToDictionary(t => t.kind.Name, t => parse.GetValue(t.option)!), parse.GetValue(parallel), Math.Max(1, parse.GetValue(batch)),
    CommitsInFlight: Math.Max(1, parse.GetValue(commits))), throughService: !parse.GetValue(noService), ct));

var database = new Argument<FileInfo>("file") { Description = "The assets.db to import (hybrid rows read their bytes from data/ beside it)." };
var importDb = new Command("import-db", "Import an assets.db in the seed's schema: productions, rows and bytes, keeping ids where they are free.")
{
    database, parallel, noService,
};
importDb.SetAction((parse, ct) => Commands.ImportDatabaseAsync(parse.GetValue(database)!.FullName, parse.GetValue(parallel), throughService: !parse.GetValue(noService), ct));

var rebuild = new Command("rebuild", "Rebuild every view from the events (a maintenance operation: lists are incomplete while it runs).");
rebuild.SetAction((_, ct) => Commands.RebuildAsync(ct));

var all = new Option<bool>("--all") { Description = "Everything in the trash, not only what is older than Catalog:TrashRetentionDays." };
var purge = new Command("purge", "Empty the trash (what is past its retention, or --all), then remove the blobs nothing references.") { all };
purge.SetAction((parse, ct) => Commands.PurgeAsync(parse.GetValue(all), ct));

var keyName = new Argument<string>("name") { Description = "The key's name: 1-64 letters, digits, '.', '_', '@' or '-'; the actor recorded for what the key does." };
var role = new Option<string>("--role") { Description = "read (browse, search, history, media, exports' files), write (every command, exports) or admin (purge, rebuild, imports, keys).", Required = true };
var actsForOthers = new Option<bool>("--acts-for-others") { Description = "The key may name the actor in X-Actor (a front end acting for its users); its own name is recorded beside it." };
var addKey = new Command("add", "Make an API key; it is printed this once (only its SHA-256 is kept).") { keyName, role, actsForOthers };
addKey.SetAction(parse => Commands.AddKey(parse.GetValue(keyName)!, parse.GetValue(role)!, parse.GetValue(actsForOthers)));
var listKeys = new Command("list", "Every API key, revoked ones too: names, roles, who made them (never a key).");
listKeys.SetAction(_ => Commands.ListKeys());
var revokedName = new Argument<string>("name") { Description = "The key to revoke." };
var revokeKey = new Command("revoke", "Revoke an API key: the service refuses it from its next request on.") { revokedName };
revokeKey.SetAction(parse => Commands.RevokeKey(parse.GetValue(revokedName)!));
var keysCommand = new Command("keys", "The API keys the service accepts (kept hashed in the data directory).") { addKey, listKeys, revokeKey };

var root = new RootCommand("The asset catalog's command line: portable exports and their verification, imports, view rebuilds, the trash, API keys.")
{
    export, verify, importFs, importDb, rebuild, purge, keysCommand,
};
return await root.Parse(args).InvokeAsync();
