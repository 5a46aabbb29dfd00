-- Fault 1: the write function forgot the version predicate. It still bumps the version, but applies every write
-- whatever version the caller read: two editors of one record both "win" and the first edit is lost.
-- Expect: lock.same-version-race same-version-race @ write-path:pfa_update_delta
-- Expect: lock.lost-update lost-update @ write-path:pfa_update_delta
-- Expect: lock.stale-write stale-write-accepted @ write-path:pfa_update_delta
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
           version    = version + 1,
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
