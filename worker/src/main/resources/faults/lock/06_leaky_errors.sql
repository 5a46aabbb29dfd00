-- Fault 6 (edge): the write function wraps every failure into its own message, concatenating SQLERRM and the
-- PL/pgSQL context, so callers see the SQL text of the function body. A "validation" cast added before its UPDATE
-- fails for every patch that is not an object (SQL NULL, JSON null), so those edge cases show the leak; valid
-- saves still succeed (a write path that failed every valid write could not be judged at all: an ERROR run).
-- Expect: edge.write-path edge-error-leaks-internals @ edge-case:null patch
CREATE OR REPLACE FUNCTION pfa_update_delta(p_id bigint, p_patch jsonb, p_expected_version integer,
                                            p_actor text DEFAULT NULL) RETURNS integer
    LANGUAGE plpgsql VOLATILE
    SET search_path FROM CURRENT
AS $$
DECLARE
    new_version     integer;
    current_version integer;
    ctx             text;
BEGIN
    PERFORM CASE WHEN jsonb_typeof(p_patch) = 'object' THEN 0 ELSE jsonb_typeof(coalesce(p_patch, 'null'))::int END
       FROM pfa_records WHERE id = p_id;
    UPDATE pfa_records
       SET delta_json = pfa_merge(delta_json, p_patch),
           version    = version + 1
     WHERE id = p_id
       AND version = p_expected_version
    RETURNING version INTO new_version;
    IF FOUND THEN
        RETURN new_version;
    END IF;
    SELECT version INTO current_version FROM pfa_records WHERE id = p_id;
    RAISE EXCEPTION 'Version conflict on PFA record %: expected version %, current version is %',
        p_id, p_expected_version, current_version USING ERRCODE = 'PF409';
EXCEPTION WHEN OTHERS THEN
    IF SQLSTATE = 'PF409' THEN
        RAISE;
    END IF;
    GET STACKED DIAGNOSTICS ctx = PG_EXCEPTION_CONTEXT;
    RAISE EXCEPTION 'write failed: % (%)', SQLERRM, ctx USING ERRCODE = SQLSTATE;
END
$$;
