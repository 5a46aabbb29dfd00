-- A new table referencing the watched records, without an index on the referencing column: every delete of a
-- PFA record scans all attachments.
-- Expect: hygiene.index-flaws foreign-key-without-index @ constraint:public.pfa_attachments.pfa_attachments_record_id_fkey
CREATE TABLE pfa_attachments (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_id bigint NOT NULL REFERENCES pfa_records (id),
    name      text NOT NULL
);
