-- Fault: the composite index is rebuilt on the generated column's expression instead of the column
-- (pfa_merge(mirror_json, delta_json) ->> 'category'). The registered query filters on merged_category,
-- which no index has as a key any more: the predicate becomes a row filter after the organization lookup (HIGH).
-- Expect: plan.audit generated-column-unindexed @ query:records-by-org-category
-- Expect: plan.audit seq-scan @ query:records-by-org-category
-- Expect: hygiene.generated-predicate-index generated-predicate-without-index @ query:records-by-org-category/merged_category
DROP INDEX idx_pfa_org_category;
CREATE INDEX idx_pfa_org_category ON pfa_records (organization_id, (pfa_merge(mirror_json, delta_json) ->> 'category'));
