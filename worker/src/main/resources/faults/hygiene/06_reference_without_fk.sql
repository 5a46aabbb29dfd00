-- A column referencing categories by name, added without a foreign key.
ALTER TABLE pfa_records ADD COLUMN category_id text;
