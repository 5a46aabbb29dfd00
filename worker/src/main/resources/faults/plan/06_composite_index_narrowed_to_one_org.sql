-- Fault: the composite (organization_id, merged_category) index is rebuilt as a partial index for the one
-- organization whose dashboard was slow. records-by-org-category still filters by category through an index
-- for HOLNG, but for every other organization (RIO, the second parameter set) the category is a row filter
-- after the organization lookup (HIGH): the index has merged_category as a key, yet its predicate excludes RIO.
-- Expect: plan.audit generated-column-unindexed @ query:records-by-org-category
-- Expect: hygiene.generated-predicate-index generated-predicate-without-index @ query:records-by-org-category/merged_category
DROP INDEX idx_pfa_org_category;
CREATE INDEX idx_pfa_org_category ON pfa_records (organization_id, merged_category) WHERE organization_id = 'HOLNG';
