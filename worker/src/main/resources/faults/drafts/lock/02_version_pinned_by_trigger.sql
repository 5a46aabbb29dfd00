-- Fault: a hardening migration stops clients from setting the version directly (NEW.version := OLD.version),
-- meant for a write function that was never built. It also cancels the upsert's bump: the version never moves,
-- so two authors' tabs holding the same version both save, and the second silently overwrites the first.
-- Expect: lock.same-version-race same-version-race @ write-path:write.statement
-- Expect: lock.version-discipline write-bypasses-optimistic-locking @ document:*
-- Expect: lock.stale-write version-step-not-one @ write-path:write.statement
-- Expect: lock.lost-update lost-update @ write-path:write.statement
-- Exercise: UPDATE item_drafts SET changes = changes || '{"title": "Exercise"}', version = version + 1 WHERE id = (SELECT id FROM item_drafts ORDER BY id LIMIT 1)
CREATE FUNCTION item_drafts_protect_version() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
AS $$
BEGIN
    NEW.version := OLD.version;
    RETURN NEW;
END
$$;
CREATE TRIGGER item_drafts_protect_version BEFORE UPDATE ON item_drafts
    FOR EACH ROW EXECUTE FUNCTION item_drafts_protect_version();
