-- The composite (organization_id, merged_category) index is replaced by one on merged_category alone, and the
-- (organization_id, updated_at) page index is dropped: the organization foreign key loses every supporting
-- (leading-column) index.
-- Expect: hygiene.index-flaws foreign-key-without-index @ constraint:public.pfa_records.pfa_records_organization_id_fkey
-- Expect: plan.audit seq-scan @ query:org-recently-edited-page
DROP INDEX idx_pfa_org_category;
DROP INDEX IF EXISTS idx_pfa_org_updated;
CREATE INDEX idx_pfa_category ON pfa_records (merged_category);
