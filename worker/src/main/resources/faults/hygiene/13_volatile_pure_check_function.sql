-- A CHECK constraint through a helper left at the default volatility (VOLATILE) and without a search_path,
-- although it only looks at its argument.
-- Expect: hygiene.function-hygiene volatility-mismatch @ function:pfa_valid_org
-- Expect: hygiene.function-hygiene function-search-path-mutable @ function:pfa_valid_org
CREATE FUNCTION pfa_valid_org(org text) RETURNS boolean
    LANGUAGE sql
AS $$
    SELECT org ~ '^[A-Z_]+$'
$$;
ALTER TABLE pfa_records ADD CONSTRAINT pfa_org_format CHECK (pfa_valid_org(organization_id));
