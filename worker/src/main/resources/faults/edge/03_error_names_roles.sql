-- Fault (edge): the write function refuses a patch that is not a JSON object, as the clean one does, but
-- its error carries the session and current user in the hint.
-- Internals a caller (and whoever reads the application's logs) should never see. The null-patch edge
-- cases show the leak; everything else behaves like the clean write function.
-- Expect: edge.write-path edge-error-leaks-internals @ edge-case:null patch
-- Expect: edge.write-path edge-error-leaks-internals @ edge-case:JSON null patch
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
        RAISE EXCEPTION 'patch must be a JSON object'
            USING ERRCODE = '22023', HINT = format('connected as %s, running as %s', session_user, current_user);
    END IF;
    IF p_expected_version IS NULL THEN
        RAISE EXCEPTION 'expected version is required' USING ERRCODE = '22023';
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
    RAISE EXCEPTION 'Version conflict on PFA record %: expected version %, current version is %',
        p_id, p_expected_version, current_version
        USING ERRCODE = 'PF409', HINT = 'Re-read the record and apply the change again.';
END
$$;
