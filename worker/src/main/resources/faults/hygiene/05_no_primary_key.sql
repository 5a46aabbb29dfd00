-- A table rebuild forgot the primary key.
-- Expect: hygiene.table-flaws no-primary-key @ table:public.pfa_records
-- Also: plan.audit index-scan-without-leading-column @ query:record-by-id
-- Also: plan.audit seq-scan @ query:record-by-id
ALTER TABLE pfa_records DROP CONSTRAINT pfa_records_pkey;
