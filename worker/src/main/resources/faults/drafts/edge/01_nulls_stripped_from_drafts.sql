-- Fault: a trigger "keeps drafts small" by stripping JSON nulls from changes on every save. A null in a draft is
-- how an author clears a field (promo_badge: null hides the badge): the save succeeds, but the stored draft is
-- not the patch merged by || any more, and the merged item shows the badge again.
-- Expect: edge.write-path edge-write-altered @ edge-case:patch with nulls
CREATE FUNCTION item_drafts_strip_nulls() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
AS $$
BEGIN
    NEW.changes := jsonb_strip_nulls(NEW.changes);
    RETURN NEW;
END
$$;
CREATE TRIGGER item_drafts_strip_nulls BEFORE INSERT OR UPDATE ON item_drafts
    FOR EACH ROW EXECUTE FUNCTION item_drafts_strip_nulls();
