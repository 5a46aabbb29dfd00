-- Fault 5: a SQL NULL delta makes the result NULL, where the contract says it counts as {} (the merged document is
-- the mirror). Every record without local edits reads as NULL. (A NULL mirror would do the same, but mirror_json is
-- NOT NULL, so that input cannot occur and the battery skips it.)
-- Applied on the clean reference target (after V1/V2). Expected: merge.battery battery-mismatch at $ (null-delta)
-- The stored generated values keep the old function's results, which are the contract's: they are not stale, and
-- hygiene.stale-generated-values must not propose a backfill (it would write NULL categories into every record
-- without edits). Rows written after the fault (edits discarded: delta set to NULL) store NULL; their stale-value and
-- generated-column findings follow from the merge defect and link its fingerprint (StaleValuesFollowMergeDefectIT).
-- Expect: merge.battery battery-mismatch @ function:pfa_merge
-- Expect: merge.differential merged-value-mismatch @ document:*
-- Expect: merge.battery systematic-mismatch @ function:pfa_merge
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
        RETURN NULL;   -- the regression: a record without edits vanishes from every merged read
    END IF;
    IF jsonb_typeof(delta) <> 'object' THEN
        RETURN delta;
    END IF;
    IF jsonb_typeof(mirror) <> 'object' THEN
        mirror := '{}'::jsonb;
    END IF;
    result := mirror;
    FOR k, v IN SELECT e.key, e.value FROM jsonb_each(delta) AS e LOOP
        IF jsonb_typeof(v) = 'object' AND jsonb_typeof(result -> k) = 'object' THEN
            result := result || jsonb_build_object(k, pfa_merge(result -> k, v));
        ELSE
            result := result || jsonb_build_object(k, v);
        END IF;
    END LOOP;
    RETURN result;
END
$$;
