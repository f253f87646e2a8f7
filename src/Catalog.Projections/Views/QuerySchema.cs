using Catalog.Domain.Assets;

namespace Catalog.Projections.Views;

/// <summary>
/// What the query side's SQL relies on, named once: the columns Marten keeps beside each view's JSON
/// (duplicated fields, filled on every upsert) and the full-text expressions behind the search indexes.
/// An integration test checks these against the real database.
/// </summary>
public static class QuerySchema
{
    /// <summary>Duplicated columns (Marten's snake-casing of the member names).</summary>
    public static class Columns
    {
        public const string Type = "type";
        public const string CreatedAt = "created__at";
        public const string ProductionId = "production__id";
        public const string FileSize = "file__size";
        public const string Status = "status";
    }

    /// <summary>The tables of the views and of the events, schema-qualified.</summary>
    public static class Tables
    {
        public const string Events = CatalogStore.SchemaName + ".mt_events";
        public const string Streams = CatalogStore.SchemaName + ".mt_streams";
        public const string EventSequence = CatalogStore.SchemaName + ".mt_events_sequence";
        public const string Productions = CatalogStore.SchemaName + ".mt_doc_production_view";
        public static string Assets(AssetKind kind) => $"{CatalogStore.SchemaName}.mt_doc_{kind.Name()}_view";
    }

    /// <summary>
    /// An index Marten does not make: events by time, with their stream (covering), for "what happened in the last 24 hours / 7 days".
    /// Marten is told to leave it alone in its migrations; <see cref="CatalogStore.ApplySchemaAsync"/> creates it.
    /// </summary>
    public const string EventsTimestampIndex = "ix_mt_events_timestamp_stream";

    /// <summary>The same index as earlier builds made it, without the stream id (so a count had to read the event rows): dropped.</summary>
    public const string PreviousEventsTimestampIndex = "ix_mt_events_timestamp";

    /// <summary>Indexes Marten does not make: asset events by the production they name, for a production's full history.</summary>
    public const string EventsProductionIndex = "ix_mt_events_production";
    public const string EventsPreviousProductionIndex = "ix_mt_events_previous_production";

    /// <summary>Full-text search: the 'simple' configuration (no stemming, no stop words: names and prompts as written).</summary>
    public const string SearchConfig = "simple";

    /// <summary>What a production — and each of its assets (<see cref="SearchIndex"/>) — is found by: title and artist (either may be missing).</summary>
    public const string ProductionText = "coalesce(data ->> 'title', '') || ' ' || coalesce(data ->> 'artist', '')";

    public static string Vector(string text) => $"to_tsvector('{SearchConfig}', {text})";
}
