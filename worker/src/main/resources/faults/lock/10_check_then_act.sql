-- Fault 10: the write function checks the version with a SELECT, then updates by key alone. One writer at a time
-- sees a correct path (an outdated version is refused with the conflict), but the check and the write are not
-- atomic: two writers holding the same version both pass the SELECT before either commits, and both UPDATEs
-- apply. The pg_sleep stands for the validation the function does between the two (an audit insert, a lookup);
-- it only widens a window that exists without it.
-- Expect: lock.same-version-race check-then-act-not-atomic @ write-path:pfa_update_delta
-- Expect: lock.lost-update lost-update @ write-path:pfa_update_delta
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
    SELECT version INTO current_version FROM pfa_records WHERE id = p_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'PFA record % not found', p_id USING ERRCODE = 'P0002';
    END IF;
    IF current_version <> p_expected_version THEN
        RAISE EXCEPTION 'Version conflict on PFA record %: expected version %, current version is %',
            p_id, p_expected_version, current_version USING ERRCODE = 'PF409';
    END IF;
    PERFORM pg_sleep(0.05);
    UPDATE pfa_records
       SET delta_json = pfa_merge(delta_json, p_patch),
           version    = version + 1,
           updated_at = now(),
           updated_by = coalesce(p_actor, current_user)
     WHERE id = p_id
    RETURNING version INTO new_version;
    RETURN new_version;
END
$$;
