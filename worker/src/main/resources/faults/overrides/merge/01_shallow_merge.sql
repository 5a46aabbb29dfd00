-- Fault: the recursive merge is "simplified" to a concatenation: nested override fields replace the page's whole
-- object (an SEO description override drops the SEO title and canonical URL), and a JSON null no longer deletes
-- the field but shows up as null on the page.
-- Expect: merge.battery battery-mismatch @ function:override_merge
-- Expect: merge.differential merged-value-mismatch @ document:*
-- Expect: merge.battery systematic-mismatch @ function:override_merge
-- Expect: merge.battery generated-mismatch @ function:override_merge
-- Expect: merge.battery invariant-mirror-key-kept @ function:override_merge
-- Expect: edge.write-path edge-write-altered @ edge-case:patch with nulls
CREATE OR REPLACE FUNCTION override_merge(o jsonb, base jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path FROM CURRENT
AS $$
    SELECT coalesce(base, '{}'::jsonb) || coalesce(o, '{}'::jsonb)
$$;
