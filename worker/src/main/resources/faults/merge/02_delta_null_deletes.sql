-- Fault 2: a JSON null in the delta deletes the key, where the contract says it overrides.
-- Applied on the clean reference target (after V1/V2). Expected: merge.battery battery-mismatch at $.name (json-null-overrides-present-key); merge.differential at $.notes
-- Expect: merge.battery battery-mismatch @ function:pfa_merge
-- Expect: merge.battery generated-mismatch @ function:pfa_merge
-- Expect: merge.differential merged-value-mismatch @ document:*
-- Expect: merge.battery systematic-mismatch @ function:pfa_merge
-- Expect: merge.battery invariant-mirror-key-kept @ function:pfa_merge
-- Expect: edge.write-path edge-write-altered @ edge-case:patch with nulls
CREATE OR REPLACE FUNCTION pfa_merge(mirror jsonb, delta jsonb) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path FROM CURRENT
AS $$
DECLARE
    result jsonb;
    k      text;
    v      jsonb;
BEGIN
    IF mirror IS NULL THEN
        mirror := '{}'::jsonb;
    END IF;
    IF delta IS NULL THEN
        RETURN mirror;
    END IF;
    IF jsonb_typeof(delta) <> 'object' THEN
        RETURN delta;
    END IF;
    IF jsonb_typeof(mirror) <> 'object' THEN
        mirror := '{}'::jsonb;
    END IF;
    result := mirror;
    FOR k, v IN SELECT e.key, e.value FROM jsonb_each(delta) AS e LOOP
        IF jsonb_typeof(v) = 'null' THEN
            result := result - k;   -- the regression: RFC 7386 habits in a null-overrides system
        ELSIF jsonb_typeof(v) = 'object' AND jsonb_typeof(result -> k) = 'object' THEN
            result := result || jsonb_build_object(k, pfa_merge(result -> k, v));
        ELSE
            result := result || jsonb_build_object(k, v);
        END IF;
    END LOOP;
    RETURN result;
END
$$;
