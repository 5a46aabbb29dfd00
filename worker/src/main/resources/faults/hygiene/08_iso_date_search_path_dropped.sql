-- CREATE OR REPLACE of the date helper without its SET clause: proconfig is replaced, search_path no longer fixed.
-- Expect: hygiene.function-hygiene function-search-path-mutable @ function:pfa_iso_date
CREATE OR REPLACE FUNCTION pfa_iso_date(value text) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$
    SELECT CASE WHEN value ~ '^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$'
                THEN make_date(substr(value, 1, 4)::int, substr(value, 6, 2)::int, substr(value, 9, 2)::int)
           END
$$;
