-- The drafts example target: a product catalog synced from a PIM (the mirror), and per-user drafts of catalog
-- items (the deltas). Several merchandisers may each hold their own draft of one item; a draft is published by
-- the application (outside this schema) and then deleted. Shape, as the target config describes it:
--   mirror   catalog_items.body, text key (sku), read-only: only the PIM sync job writes it
--   delta    item_drafts.changes, uuid key, one draft per (author_id, item_sku)
--   version  item_drafts.version, integer, +1 per save; the first save creates the draft at version 1
--   merge    plain jsonb concatenation: body || changes (top-level fields of the draft replace the item's)
--   write    the application's own upsert statement (drafts-target.yaml write.statement); no write function

-- The PIM's category tree, flattened: which department a category belongs to (the KPI view reports by it).
CREATE TABLE catalog_categories (
    name       text PRIMARY KEY,
    department text NOT NULL
);

-- The mirror. body is the item as the PIM sends it; the CHECK states the merge's input domain (always an object).
-- The generated columns are computed from the MIRROR on purpose: search and listing pages show the published
-- catalog, never a merchandiser's unpublished draft.
CREATE TABLE catalog_items (
    sku           text PRIMARY KEY CHECK (sku <> ''),
    body          jsonb       NOT NULL CHECK (jsonb_typeof(body) = 'object'),
    synced_at     timestamptz NOT NULL DEFAULT now(),
    item_category text GENERATED ALWAYS AS (body ->> 'category') STORED,
    item_brand    text GENERATED ALWAYS AS (body ->> 'brand') STORED
);

-- Capture needs full before images of the jsonb columns (DEFAULT would carry only the key).
ALTER TABLE catalog_items REPLICA IDENTITY FULL;

-- Category listing pages: WHERE item_category = $1 ORDER BY sku LIMIT 100 (query items-by-category).
CREATE INDEX idx_catalog_items_category ON catalog_items (item_category, sku);
-- Brand facet: WHERE item_brand = $1 (query items-by-brand).
CREATE INDEX idx_catalog_items_brand ON catalog_items (item_brand);

-- The deltas: one draft per (author, item). changes holds only the top-level fields the author changed; the CHECK
-- keeps it an object so that body || changes is always an object too. version starts at 1 on the first save.
CREATE TABLE item_drafts (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    author_id  text        NOT NULL,
    item_sku   text        NOT NULL REFERENCES catalog_items (sku) ON DELETE CASCADE,
    changes    jsonb       NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(changes) = 'object'),
    version    integer     NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    -- One draft per author and item: the upsert's ON CONFLICT target, and the config's documents.delta.owner.
    CONSTRAINT item_drafts_author_item UNIQUE (author_id, item_sku)
);

ALTER TABLE item_drafts REPLICA IDENTITY FULL;

-- "Who else is drafting this item?" (query drafts-of-item) and the foreign key's supporting index: the unique
-- constraint leads with author_id, so it cannot serve lookups or cascades by item.
CREATE INDEX idx_item_drafts_item ON item_drafts (item_sku);
-- "My drafts, most recent first" (query author-drafts-page).
CREATE INDEX idx_item_drafts_author_recent ON item_drafts (author_id, updated_at DESC);

-- What an author sees: each draft merged over the published item, exactly body || changes.
CREATE VIEW item_drafts_merged AS
SELECT d.id         AS draft_id,
       d.author_id,
       i.sku,
       d.version,
       i.body || d.changes AS merged,
       d.updated_at
  FROM item_drafts d
  JOIN catalog_items i ON i.sku = d.item_sku;

COMMENT ON VIEW item_drafts_merged IS
    'Drafts merged over the published item: body || changes (top-level draft fields replace the item''s).';

-- The merchandising dashboard's KPI: open drafts per category. Refreshed by the seed and by a scheduled job
-- (REFRESH MATERIALIZED VIEW CONCURRENTLY needs the unique index below).
CREATE MATERIALIZED VIEW draft_kpis_by_category AS
SELECT coalesce(i.item_category, '(none)') AS category,
       count(*)                            AS drafts,
       count(DISTINCT d.author_id)         AS authors,
       max(d.updated_at)                   AS last_edit
  FROM item_drafts d
  JOIN catalog_items i ON i.sku = d.item_sku
 GROUP BY 1
WITH NO DATA;

CREATE UNIQUE INDEX idx_draft_kpis_category ON draft_kpis_by_category (category);
