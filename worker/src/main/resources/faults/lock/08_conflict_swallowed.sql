-- Fault 8: the write function swallows the version conflict. When the expected version is outdated it changes
-- nothing and returns the current version as if the write had succeeded ("be forgiving to old clients"). The
-- row stays consistent, but the caller believes its edit was saved: it is silently dropped. The diagnosis is
-- "conflict swallowed", not a stale write that overwrote anything.
-- Expect: lock.stale-write conflict-swallowed @ write-path:pfa_update_delta
CREATE OR REPLACE FUNCTION pfa_update_delta(p_id bigint, p_patch jsonb, p_expected_version integer,
                                            p_actor text DEFAULT NULL) RETURNS integer
    LANGUAGE plpgsql VOLATILE
    SET search_path FROM CURRENT
AS $$
DECLARE
    new_version     integer;
    current_version integer;
BEGIN
    IF p_patch IS NULL OR jsonb_typeof(p_patch) <> 'object' THEN
        RAISE EXCEPTION 'patch must be a JSON object' USING ERRCODE = '22023';
    END IF;
    UPDATE pfa_records
       SET delta_json = pfa_merge(delta_json, p_patch),
           version    = version + 1,
           updated_at = now(),
           updated_by = coalesce(p_actor, current_user)
     WHERE id = p_id
       AND version = p_expected_version
    RETURNING version INTO new_version;
    IF FOUND THEN
        RETURN new_version;
    END IF;
    SELECT version INTO current_version FROM pfa_records WHERE id = p_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'PFA record % not found', p_id USING ERRCODE = 'P0002';
    END IF;
    RETURN current_version;
END
$$;
