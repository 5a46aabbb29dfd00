-- Fault: the patch check is rewritten as a query (it "also validates keys"), and every failure is wrapped into
-- one message with SQLERRM and the PL/pgSQL context: a JSON null or scalar patch now answers with the SQL text
-- of the function body. Valid saves are unaffected.
-- Expect: edge.write-path edge-error-leaks-internals @ edge-case:JSON null patch
CREATE OR REPLACE FUNCTION save_override(expected_version timestamptz, key uuid, patch jsonb) RETURNS timestamptz
    LANGUAGE plpgsql VOLATILE
    SET search_path FROM CURRENT
AS $$
DECLARE
    new_token timestamptz;
    ctx       text;
BEGIN
    BEGIN
        PERFORM count(*) FROM jsonb_object_keys(save_override.patch) AS k WHERE k <> '';
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS ctx = PG_EXCEPTION_CONTEXT;
        RAISE EXCEPTION 'invalid override: % (%)', SQLERRM, ctx USING ERRCODE = '22023';
    END;
    IF patch IS NULL THEN
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
    RAISE EXCEPTION 'Version conflict on the override of page %: it changed since you read it', key
        USING ERRCODE = 'PF409';
END
$$;
