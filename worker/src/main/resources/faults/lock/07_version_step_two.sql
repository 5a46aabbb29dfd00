-- Fault 7: the write function bumps the version by two (a "version + 1" moved into a trigger while the function
-- kept its own "+ 1"). Optimistic locking still holds: exactly one of two writers with the same version wins and
-- nothing is lost, but clients that expect version + 1 after their write (or compare versions to count edits)
-- are misled. The diagnosis is "version step is not one", not a lost update.
-- Expect: lock.stale-write version-step-not-one @ write-path:pfa_update_delta
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
           version    = version + 2,
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
    RAISE EXCEPTION 'Version conflict on PFA record %: expected version %, current version is %',
        p_id, p_expected_version, current_version USING ERRCODE = 'PF409';
END
$$;
