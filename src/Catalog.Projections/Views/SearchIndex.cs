using Catalog.Domain.Assets;

namespace Catalog.Projections.Views;

/// <summary>
/// What the search reads for assets: one row per live asset in <c>catalog.asset_search</c> with the words of the asset
/// itself (<c>own</c>: prompt, clip id, filename — whole and cut at its punctuation) and of its production (<c>prod</c>:
/// title and artist), kept by triggers in the same transaction as every change — the asset's, and its production's when
/// a title or an artist changes; an asset view's trigger runs once per statement, over all of the statement's rows. A GIN
/// index over <c>own || prod</c> answers "every word, in either": an image is found by its prompt, by its name, or by its
/// production's artist.
/// </summary>
public static class SearchIndex
{
    public const string Table = CatalogStore.SchemaName + ".asset_search";

    /// <summary>The indexed document of a row (the expression the GIN index is built on; a query must use it as written).</summary>
    public const string Document = "(own || prod)";

    /// <summary>Idempotent DDL, to run in one transaction: the table, its functions and triggers, and when new, the rows already there.</summary>
    public static string Ddl()
    {
        var schema = CatalogStore.SchemaName;
        var config = QuerySchema.SearchConfig;
        var ddl = new System.Text.StringBuilder(SideTables.CreateOnce(Table, $"""
            create table {Table} (
              kind text not null,
              id bigint not null,
              production_id text,
              created_at timestamptz not null,
              own tsvector not null,
              prod tsvector not null,
              primary key (kind, id));
            create index ix_asset_search_text on {Table} using gin ({Document});
            create index ix_asset_search_production on {Table} (production_id);
            """));
        ddl.Append($$"""
            -- The prompt-only indexes this table replaced.
            drop index if exists {{schema}}.ix_image_view_search;
            drop index if exists {{schema}}.ix_video_view_search;

            create or replace function {{schema}}.asset_words(d jsonb) returns tsvector
            language sql immutable as $fn$
              select to_tsvector('{{config}}', coalesce(d ->> 'prompt', '') || ' ' || coalesce(d ->> 'clip_id', '') || ' ' ||
                     coalesce(d ->> 'filename', '') || ' ' || regexp_replace(coalesce(d ->> 'filename', ''), '[^[:alnum:]]+', ' ', 'g'))
            $fn$;

            create or replace function {{schema}}.production_words(production text) returns tsvector
            language sql stable as $fn$
              select coalesce((select {{QuerySchema.Vector(QuerySchema.ProductionText)}}
                                 from {{QuerySchema.Tables.Productions}} where id = production), ''::tsvector)
            $fn$;

            create or replace function {{schema}}.asset_search_forget() returns trigger
            language plpgsql as $fn$
            begin
              delete from {{Table}} where kind = TG_ARGV[0];
              return null;
            end $fn$;

            create or replace function {{schema}}.production_view_search() returns trigger
            language plpgsql as $fn$
            begin
              if TG_OP = 'UPDATE' and OLD.data ->> 'title' is not distinct from NEW.data ->> 'title'
                 and OLD.data ->> 'artist' is not distinct from NEW.data ->> 'artist' then
                return null;
              end if;
              update {{Table}} set prod = {{schema}}.production_words(NEW.id) where production_id = NEW.id;
              return null;
            end $fn$;
            drop trigger if exists production_view_search on {{QuerySchema.Tables.Productions}};
            create trigger production_view_search after insert or update on {{QuerySchema.Tables.Productions}}
              for each row execute function {{schema}}.production_view_search();

            """);

        foreach (var kind in AssetKinds.All)
        {
            var table = QuerySchema.Tables.Assets(kind.Kind);
            var name = table[(schema.Length + 1)..];
            var (production, created) = (QuerySchema.Columns.ProductionId, QuerySchema.Columns.CreatedAt);
            ddl.Append($$"""
                create or replace function {{schema}}.{{name}}_search() returns trigger
                language plpgsql as $fn$
                begin
                  if TG_OP = 'DELETE' then
                    delete from {{Table}} where kind = '{{kind.Name}}' and id in (select id from old_rows);
                    return null;
                  end if;
                  insert into {{Table}} as s (kind, id, production_id, created_at, own, prod)
                  select '{{kind.Name}}', n.id, n.{{production}}, n.{{created}}, {{schema}}.asset_words(n.data), {{schema}}.production_words(n.{{production}})
                    from new_rows as n
                  on conflict (kind, id) do update
                    set production_id = excluded.production_id, created_at = excluded.created_at, own = excluded.own, prod = excluded.prod;
                  return null;
                end $fn$;
                {{SideTables.StatementTriggers($"{name}_search", table, $"{schema}.{name}_search()")}}
                drop trigger if exists {{name}}_search_truncate on {{table}};
                create trigger {{name}}_search_truncate after truncate on {{table}}
                  for each statement execute function {{schema}}.asset_search_forget('{{kind.Name}}');
                insert into {{Table}} (kind, id, production_id, created_at, own, prod)
                select '{{kind.Name}}', id, {{production}}, {{created}}, {{schema}}.asset_words(data), {{schema}}.production_words({{production}})
                  from {{table}}
                 where {{SideTables.IsNew(Table)}};

                """);
        }
        // Filled just now: read its statistics, so the planner knows the index from the first search on.
        ddl.Append($$"""
            do $analyze$
            begin
              if {{SideTables.IsNew(Table)}} then
                analyze {{Table}};
              end if;
            end $analyze$;
            """);
        return ddl.ToString();
    }
}
