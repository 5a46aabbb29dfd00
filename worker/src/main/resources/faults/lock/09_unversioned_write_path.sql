-- Fault 9: the write function was "simplified" into the application's plain atomic UPDATE: the patch is merged
-- in SQL, but the expected version is ignored and the version never moves. Each write is atomic and nothing is
-- lost between two patches of different fields, yet the path has no optimistic locking at all: an editor
-- working from an outdated version overwrites newer edits and never hears of a conflict. The diagnosis is
-- "unversioned write path".
-- Expect: lock.stale-write unversioned-write-path @ write-path:pfa_update_delta
CREATE OR REPLACE FUNCTION pfa_update_delta(p_id bigint, p_patch jsonb, p_expected_version integer,
                                            p_actor text DEFAULT NULL) RETURNS integer
    LANGUAGE plpgsql VOLATILE
    SET search_path FROM CURRENT
AS $$
DECLARE
    new_version integer;
BEGIN
    IF p_patch IS NULL OR jsonb_typeof(p_patch) <> 'object' THEN
        RAISE EXCEPTION 'patch must be a JSON object' USING ERRCODE = '22023';
    END IF;
    UPDATE pfa_records
       SET delta_json = pfa_merge(delta_json, p_patch),
           updated_at = now(),
           updated_by = coalesce(p_actor, current_user)
     WHERE id = p_id
    RETURNING version INTO new_version;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'PFA record % not found', p_id USING ERRCODE = 'P0002';
    END IF;
    RETURN new_version;
END
$$;
