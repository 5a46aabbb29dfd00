-- Fault: a draft size quota (256 kB) whose error, written while debugging, quotes the statement being run
-- (current_query()): the caller sees the application's SQL text. Normal saves pass; an oversized one leaks.
-- Expect: edge.write-path edge-error-leaks-internals @ edge-case:1 MB string
CREATE FUNCTION item_drafts_size_quota() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
AS $$
BEGIN
    IF octet_length(NEW.changes::text) > 256 * 1024 THEN
        RAISE EXCEPTION 'draft too large (% bytes) in statement: %', octet_length(NEW.changes::text), current_query()
            USING ERRCODE = '22023';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER item_drafts_size_quota BEFORE INSERT OR UPDATE ON item_drafts
    FOR EACH ROW EXECUTE FUNCTION item_drafts_size_quota();
