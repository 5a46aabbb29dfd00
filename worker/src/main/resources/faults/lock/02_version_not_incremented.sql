-- Fault 2: the write function checks the version but never increments it. Every writer holding the (never
-- changing) version passes the check, so concurrent edits overwrite each other, and capture sees delta updates
-- with an unchanged version.
-- Expect: lock.same-version-race same-version-race @ write-path:pfa_update_delta
-- Expect: lock.lost-update lost-update @ write-path:pfa_update_delta
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
