-- Fault: "editors hate conflict dialogs": on a stale token save_override now returns the current token without
-- applying anything and without an error. The editor's change is silently dropped and the UI reports success.
-- Expect: lock.stale-write conflict-swallowed @ write-path:save_override
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
    -- The regression: the conflict is swallowed.
    SELECT c.updated_at INTO new_token FROM content_overrides c WHERE c.page_id = save_override.key;
    RETURN new_token;
END
$$;
