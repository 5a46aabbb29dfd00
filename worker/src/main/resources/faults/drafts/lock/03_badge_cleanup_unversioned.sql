-- Fault: a nightly job removes expired promo badges from drafts with a plain UPDATE: no version check, no bump.
-- The interactive upsert is still correct, so active probes pass; an author who saves after the job overwrites
-- nothing visible, but a tab opened before the job saves at a version that did not see the cleanup. Only the
-- passive check sees it, in the captured before/after images (changes changed, version unchanged).
-- Expect: lock.version-discipline write-bypasses-optimistic-locking @ document:*
-- Exercise: SELECT drafts_expire_promo_badges()
CREATE FUNCTION drafts_expire_promo_badges() RETURNS integer
    LANGUAGE plpgsql VOLATILE
    SET search_path FROM CURRENT
AS $$
DECLARE
    n integer;
BEGIN
    UPDATE item_drafts
       SET changes = changes - 'promo_badge'
     WHERE changes ? 'promo_badge';
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;
