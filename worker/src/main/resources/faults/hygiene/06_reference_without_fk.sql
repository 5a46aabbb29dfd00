-- A column referencing categories by name, added without a foreign key.
-- Expect: hygiene.table-flaws reference-column-without-foreign-key @ column:public.pfa_records.category_id
ALTER TABLE pfa_records ADD COLUMN category_id text;
