-- A table rebuild forgot the primary key.
ALTER TABLE pfa_records DROP CONSTRAINT pfa_records_pkey;
