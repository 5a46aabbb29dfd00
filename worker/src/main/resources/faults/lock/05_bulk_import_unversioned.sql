-- Fault 5: a "bulk import" path that writes deltas with a plain UPDATE: no version check, no version bump.
-- The interactive write path is still correct, so the active probes pass; only the passive version-discipline
-- check sees it, in the captured before/after images (delta changed, version unchanged).
-- Expect: lock.version-discipline write-bypasses-optimistic-locking @ document:*
-- Exercise: SELECT pfa_bulk_import(jsonb_build_object((SELECT min(id) FROM pfa_records)::text, '{"notes": "imported"}'::jsonb))
CREATE FUNCTION pfa_bulk_import(p_rows jsonb) RETURNS integer
    LANGUAGE plpgsql VOLATILE
    SET search_path FROM CURRENT
AS $$
DECLARE
    n integer;
BEGIN
    UPDATE pfa_records r
       SET delta_json = pfa_merge(r.delta_json, x.value),
           updated_at = now(),
           updated_by = 'bulk-import'
      FROM jsonb_each(p_rows) AS x
     WHERE r.id = x.key::bigint;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;
