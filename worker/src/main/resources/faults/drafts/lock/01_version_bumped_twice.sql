-- Fault: a migration moves the version bump into a trigger "so every writer gets it", but the drafts service's
-- upsert still bumps too: every save moves the version by two. Stale saves still conflict; the step is wrong,
-- and clients that compute the next version (read + 1) now always conflict.
-- Expect: lock.version-discipline version-step-not-one @ document:*
-- Exercise: UPDATE item_drafts SET changes = changes || '{"title": "Exercise"}', version = version + 1 WHERE id = (SELECT id FROM item_drafts ORDER BY id LIMIT 1)
CREATE FUNCTION item_drafts_bump_version() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
AS $$
BEGIN
    NEW.version := NEW.version + 1;
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
CREATE TRIGGER item_drafts_bump_version BEFORE UPDATE ON item_drafts
    FOR EACH ROW EXECUTE FUNCTION item_drafts_bump_version();
