-- Fault: a trigger "keeps overrides small" by cutting every top-level string to 10,000 characters. The save of a
-- long field succeeds, but the stored override is not the patch merged per the contract: the text is silently
-- cut.
-- Expect: edge.write-path edge-write-altered @ edge-case:1 MB string
CREATE FUNCTION content_overrides_cap_strings() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
AS $$
BEGIN
    NEW.patch := (SELECT coalesce(jsonb_object_agg(e.key,
                        CASE WHEN jsonb_typeof(e.value) = 'string' AND length(e.value #>> '{}') > 10000
                             THEN to_jsonb(left(e.value #>> '{}', 10000))
                             ELSE e.value END), '{}'::jsonb)
                    FROM jsonb_each(NEW.patch) e);
    RETURN NEW;
END
$$;
CREATE TRIGGER content_overrides_cap_strings BEFORE INSERT OR UPDATE ON content_overrides
    FOR EACH ROW EXECUTE FUNCTION content_overrides_cap_strings();
