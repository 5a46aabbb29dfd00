-- The overrides example target: web pages synced from upstream CMS feeds (the mirror) and editorial overrides
-- (the deltas) that a site team layers on top without touching the feed. Shape, as the target config describes it:
--   mirror   content_pages.content, uuid key (id), read-only: only the feed sync writes it
--   delta    content_overrides.patch, at most ONE override per page and no owner (the site team edits together)
--   version  content_overrides.updated_at, a timestamptz TOKEN: compared for equality, never counted
--   merge    override_merge(o, base): a SQL-language JSON Merge Patch (RFC 7386), arguments (delta, mirror)
--   write    save_override(expected_version timestamptz, key uuid, patch jsonb)
-- Functions pin search_path (FROM CURRENT) so they resolve the same objects whoever calls them.

-- The upstream feeds. Each page belongs to one; deltawatch's probe pages live under their own source value.
CREATE TABLE content_sources (
    name     text PRIMARY KEY,
    base_url text NOT NULL
);

-- The mirror. A page without a slug yet (created ahead of the feed) gets a unique placeholder.
CREATE TABLE content_pages (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    source       text        NOT NULL REFERENCES content_sources (name),
    slug         text        NOT NULL DEFAULT ('unpublished/' || gen_random_uuid()),
    content      jsonb       NOT NULL CHECK (jsonb_typeof(content) = 'object'),
    synced_at    timestamptz NOT NULL DEFAULT now(),
    -- Listing pages filter by locale and section of the FEED's page (overrides never move a page).
    page_locale  text GENERATED ALWAYS AS (content ->> 'locale') STORED,
    page_section text GENERATED ALWAYS AS (content ->> 'section') STORED,
    CONSTRAINT content_pages_source_slug UNIQUE (source, slug)
);

-- Capture needs full before images of the jsonb columns.
ALTER TABLE content_pages REPLICA IDENTITY FULL;

-- Section listings: WHERE page_locale = $1 AND page_section = $2 ORDER BY slug (query section-pages).
CREATE INDEX idx_content_pages_locale_section ON content_pages (page_locale, page_section, slug);

-- The deltas: one override per page (page_id is the primary key). patch is a JSON Merge Patch over the page:
-- a JSON null REMOVES the field from the page (e.g. {"hero": null} hides the feed's hero image).
-- updated_at is the optimistic-locking token; save_override() moves it forward on every save.
CREATE TABLE content_overrides (
    page_id         uuid PRIMARY KEY REFERENCES content_pages (id) ON DELETE CASCADE,
    patch           jsonb       NOT NULL CHECK (jsonb_typeof(patch) = 'object'),
    updated_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_by      text,
    -- The editorial title, when the override sets one (the "renamed pages" report reads it).
    overridden_title text GENERATED ALWAYS AS (patch ->> 'title') STORED
);

ALTER TABLE content_overrides REPLICA IDENTITY FULL;

-- "Recently overridden pages" (query recent-overrides).
CREATE INDEX idx_content_overrides_recent ON content_overrides (updated_at DESC);

-- The merge contract, implemented here and declared in overrides-target.yaml (JSON Merge Patch, RFC 7386):
--   * arguments are (override, base): the override comes FIRST;
--   * objects merge deeply, key by key; keys absent from the override fall back to the base;
--   * a JSON null in the override deletes the key (also inside nested objects, also where the base lacks it);
--   * arrays and scalars in the override replace the base's value; an override that is not an object replaces
--     the whole page (unreachable here: the CHECK on patch);
--   * a SQL NULL override (no override row: LEFT JOIN) returns the base; a SQL NULL base counts as {};
--   * no type coercion: "0" stays a string.
-- The function calls itself for nested objects, so its body refers to a function that does not exist yet.
SET LOCAL check_function_bodies = off;

CREATE FUNCTION override_merge(o jsonb, base jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path FROM CURRENT
AS $$
    SELECT CASE
        WHEN o IS NULL THEN coalesce(base, '{}'::jsonb)
        WHEN jsonb_typeof(o) <> 'object' THEN o
        ELSE (
            SELECT coalesce(jsonb_object_agg(m.key, m.value), '{}'::jsonb)
              FROM (
                    -- base keys the override does not mention
                    SELECT b.key, b.value
                      FROM jsonb_each(CASE WHEN jsonb_typeof(base) = 'object' THEN base ELSE '{}'::jsonb END) b
                     WHERE NOT o ? b.key
                    UNION ALL
                    -- override keys: null deletes, objects merge into the base's value, anything else replaces
                    SELECT e.key,
                           CASE WHEN jsonb_typeof(e.value) = 'object'
                                THEN override_merge(e.value, base -> e.key)
                                ELSE e.value END
                      FROM jsonb_each(o) e
                     WHERE jsonb_typeof(e.value) <> 'null'
                   ) m
        )
    END
$$;

COMMENT ON FUNCTION override_merge(jsonb, jsonb) IS
    'JSON Merge Patch (RFC 7386) of an override over a page: override first; objects deep, JSON null deletes, '
    'arrays replace, SQL NULL override = the page, SQL NULL page = {}, no type coercion.';

-- The write path. Applies the patch to the override with the same merge-patch rules (override_merge): fields
-- merge deeply, and a null in a save removes that field from the override (the page shows the feed's value
-- again). Then it moves the token forward. expected_version is the token the editor read: NULL means
-- "the page has no override yet" and creates it. A stale token, or an override created or removed meanwhile,
-- raises SQLSTATE PF409 with a message starting 'Version conflict'. A missing page raises P0002; a patch that is
-- not a JSON object raises 22023. The new token is strictly later than the old one even within one microsecond,
-- so two saves never share a token.
CREATE FUNCTION save_override(expected_version timestamptz, key uuid, patch jsonb) RETURNS timestamptz
    LANGUAGE plpgsql VOLATILE
    SET search_path FROM CURRENT
AS $$
DECLARE
    new_token timestamptz;
BEGIN
    IF patch IS NULL OR jsonb_typeof(patch) <> 'object' THEN
        RAISE EXCEPTION 'patch must be a JSON object'
            USING ERRCODE = '22023', HINT = 'Send the overridden fields as {"field": value}.';
    END IF;

    IF expected_version IS NULL THEN
        INSERT INTO content_overrides AS c (page_id, patch, updated_at, updated_by)
        SELECT p.id, save_override.patch, clock_timestamp(), current_user
          FROM content_pages p
         WHERE p.id = save_override.key
        ON CONFLICT (page_id) DO NOTHING
        RETURNING c.updated_at INTO new_token;
    ELSE
        UPDATE content_overrides c
           SET patch      = override_merge(save_override.patch, c.patch),
               updated_at = greatest(clock_timestamp(), c.updated_at + interval '1 microsecond'),
               updated_by = current_user
         WHERE c.page_id = save_override.key
           AND c.updated_at = expected_version
        RETURNING c.updated_at INTO new_token;
    END IF;

    IF new_token IS NOT NULL THEN
        RETURN new_token;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM content_pages p WHERE p.id = save_override.key) THEN
        RAISE EXCEPTION 'page % not found', key USING ERRCODE = 'P0002';
    END IF;
    RAISE EXCEPTION 'Version conflict on the override of page %: it changed since you read it', key
        USING ERRCODE = 'PF409', HINT = 'Re-read the page and apply the change again.';
END
$$;
