-- Fault: the token predicate is lost in a rewrite of save_override: every save is applied whatever token the
-- editor read, so a stale editor silently overwrites a colleague's newer override (the token still moves).
-- Expect: lock.stale-write stale-write-accepted @ write-path:save_override
-- Expect: lock.same-version-race same-version-race @ write-path:save_override
-- Expect: lock.lost-update lost-update @ write-path:save_override
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
    INSERT INTO content_overrides AS c (page_id, patch, updated_at, updated_by)
    SELECT p.id, save_override.patch, clock_timestamp(), current_user
      FROM content_pages p
     WHERE p.id = save_override.key
    ON CONFLICT (page_id) DO UPDATE
       SET patch      = override_merge(EXCLUDED.patch, c.patch),
           updated_at = greatest(clock_timestamp(), c.updated_at + interval '1 microsecond'),
           updated_by = current_user
    RETURNING c.updated_at INTO new_token;
    IF new_token IS NULL THEN
        RAISE EXCEPTION 'page % not found', key USING ERRCODE = 'P0002';
    END IF;
    RETURN new_token;
END
$$;
