-- A table rebuild forgot the primary key.
-- Expect: hygiene.table-flaws no-primary-key @ table:public.pfa_records
ALTER TABLE pfa_records DROP CONSTRAINT pfa_records_pkey;
