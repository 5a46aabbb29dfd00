-- The composite (organization_id, merged_category) index is replaced by one on merged_category alone: the
-- organization foreign key loses its supporting (leading-column) index.
DROP INDEX idx_pfa_org_category;
CREATE INDEX idx_pfa_category ON pfa_records (merged_category);
