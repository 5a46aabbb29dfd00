-- Fault: updated_at moves to a trigger-maintained "last_edited_at" in a half-finished migration; save_override
-- still checks the token but no longer moves it. Every editor holding the (never changing) token passes the
-- check, so concurrent saves overwrite each other, and capture sees overrides change with the token unchanged.
-- Expect: lock.same-version-race same-version-race @ write-path:save_override
-- Expect: lock.version-discipline write-bypasses-optimistic-locking @ document:*
-- Expect: lock.stale-write version-step-not-one @ write-path:save_override
-- Expect: lock.lost-update lost-update @ write-path:save_override
-- Exercise: SELECT save_override(updated_at, page_id, '{"title": "Exercise"}') FROM content_overrides ORDER BY page_id LIMIT 1
CREATE OR REPLACE FUNCTION save_override(expected_version timestamptz, key uuid, patch jsonb) RETURNS timestamptz
    LANGUAGE plpgsql VOLATILE
    SET search_path FROM CURRENT
AS $$
DECLARE
    new_token timestamptz;
BEGIN
    IF patch IS NULL OR jsonb_typeof(patch) <> 'object' THEN
        RAISE EXCEPTION 'patch must be a JSON object' USING ERRCODE = '22023';
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
        USING ERRCODE = 'PF409';
END
$$;
