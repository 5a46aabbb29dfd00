-- Fault: an import from the old CMS writes overrides with a plain upsert that keeps the token: editors holding
-- that token save over the imported change without a conflict. save_override is still correct, so active
-- probes pass; only the passive check sees it (patch changed, token unchanged).
-- Expect: lock.version-discipline write-bypasses-optimistic-locking @ document:*
-- Exercise: SELECT import_overrides(jsonb_object_agg(page_id::text, '{"banner": {"text": "Imported"}}'::jsonb)) FROM (SELECT page_id FROM content_overrides ORDER BY page_id LIMIT 3) s
CREATE FUNCTION import_overrides(p_rows jsonb) RETURNS integer
    LANGUAGE plpgsql VOLATILE
    SET search_path FROM CURRENT
AS $$
DECLARE
    n integer;
BEGIN
    INSERT INTO content_overrides AS c (page_id, patch, updated_by)
    SELECT x.key::uuid, x.value, 'cms-import'
      FROM jsonb_each(p_rows) AS x
    ON CONFLICT (page_id) DO UPDATE
       SET patch = override_merge(EXCLUDED.patch, c.patch),
           updated_by = 'cms-import';
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;
