-- An index nobody queries: built "just in case" on a mirror field.
-- Expect: hygiene.index-flaws unused-index @ index:public.idx_pfa_mirror_cost
CREATE INDEX idx_pfa_mirror_cost ON pfa_records (((mirror_json ->> 'cost')::int));
