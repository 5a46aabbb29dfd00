-- Fault 1: a shallow 'mirror || delta' where the contract declares deep merging.
-- Applied on the clean reference target (after V1/V2). Expected: merge.battery battery-mismatch at $.a.b.keep (null-at-depth-3); merge.differential merged-value-mismatch at $.forecast.*
-- Expect: merge.battery battery-mismatch @ function:pfa_merge
-- Expect: merge.differential merged-value-mismatch @ document:*
-- Expect: merge.battery systematic-mismatch @ function:pfa_merge
-- Expect: merge.battery generated-mismatch @ function:pfa_merge
-- Expect: merge.battery invariant-mirror-key-kept @ function:pfa_merge
CREATE OR REPLACE FUNCTION pfa_merge(mirror jsonb, delta jsonb) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path FROM CURRENT
AS $$
DECLARE
    result jsonb;
    k      text;
    v      jsonb;
BEGIN
    -- The regression: someone "simplified" the recursion away. Nested objects in the delta now replace the
    -- mirror's objects instead of merging into them.
    mirror := coalesce(mirror, '{}'::jsonb);
    IF delta IS NULL THEN
        RETURN mirror;
    END IF;
    IF jsonb_typeof(delta) <> 'object' THEN
        RETURN delta;
    END IF;
    IF jsonb_typeof(mirror) <> 'object' THEN
        mirror := '{}'::jsonb;
    END IF;
    RETURN mirror || delta;
END
$$;
