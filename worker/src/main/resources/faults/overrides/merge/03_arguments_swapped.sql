-- Fault: a refactor "aligns" the body with the (base, override) order other helpers use, but the signature and
-- every caller keep (override, base): the page now wins over its override, and override-only fields appear only
-- where the page lacks them.
-- Expect: merge.battery battery-mismatch @ function:override_merge
-- Expect: merge.differential merged-value-mismatch @ document:*
-- Expect: merge.battery systematic-mismatch @ function:override_merge
-- Expect: merge.battery generated-mismatch @ function:override_merge
-- Expect: merge.battery invariant-mirror-key-kept @ function:override_merge
-- Expect: merge.battery invariant-empty-delta @ function:override_merge
-- Expect: edge.write-path edge-write-altered @ edge-case:patch with nulls
CREATE OR REPLACE FUNCTION override_merge(o jsonb, base jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path FROM CURRENT
AS $$
    SELECT CASE
        WHEN base IS NULL THEN coalesce(o, '{}'::jsonb)
        WHEN jsonb_typeof(base) <> 'object' THEN base
        ELSE (
            SELECT coalesce(jsonb_object_agg(m.key, m.value), '{}'::jsonb)
              FROM (
                    SELECT b.key, b.value
                      FROM jsonb_each(CASE WHEN jsonb_typeof(o) = 'object' THEN o ELSE '{}'::jsonb END) b
                     WHERE NOT base ? b.key
                    UNION ALL
                    SELECT e.key,
                           CASE WHEN jsonb_typeof(e.value) = 'object'
                                THEN override_merge(o -> e.key, e.value)
                                ELSE e.value END
                      FROM jsonb_each(base) e
                     WHERE jsonb_typeof(e.value) <> 'null'
                   ) m
        )
    END
$$;
