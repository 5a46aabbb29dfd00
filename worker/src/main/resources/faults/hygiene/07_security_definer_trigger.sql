-- An audit trigger function declared SECURITY DEFINER (to write as the owner) without pinning search_path.
-- Expect: hygiene.function-hygiene security-definer-without-search-path @ function:pfa_touch
CREATE FUNCTION pfa_touch() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
AS $$
BEGIN
    NEW.updated_at := now();
    NEW.updated_by := coalesce(NEW.updated_by, session_user);
    RETURN NEW;
END
$$;
CREATE TRIGGER pfa_touch BEFORE UPDATE ON pfa_records FOR EACH ROW EXECUTE FUNCTION pfa_touch();
