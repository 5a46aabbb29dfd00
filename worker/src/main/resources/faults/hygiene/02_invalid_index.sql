-- A UNIQUE index built CONCURRENTLY on a column that holds duplicates fails and stays behind, invalid.
-- Expect: hygiene.index-flaws invalid-index @ index:public.idx_pfa_external_ref
ALTER TABLE pfa_records ADD COLUMN external_ref text;
UPDATE pfa_records SET external_ref = 'PEMS-' || (id % 3);
-- expect-error: duplicate key value violates unique constraint
CREATE UNIQUE INDEX CONCURRENTLY idx_pfa_external_ref ON pfa_records (external_ref);
