-- A "simplified" merge function: shallow, and the mirror wins over the delta. Stored generated values are not
-- recomputed by CREATE OR REPLACE: every row keeps the category the old function produced.
-- Expect: merge.battery battery-mismatch @ function:pfa_merge
-- Expect: merge.differential merged-value-mismatch @ document:*
-- Expect: merge.battery systematic-mismatch @ function:pfa_merge
-- Expect: merge.battery generated-mismatch @ function:pfa_merge
CREATE OR REPLACE FUNCTION pfa_merge(mirror jsonb, delta jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path FROM CURRENT
AS $$
    SELECT coalesce(delta, '{}'::jsonb) || coalesce(mirror, '{}'::jsonb)
$$;
