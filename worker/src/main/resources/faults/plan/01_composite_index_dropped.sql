-- Fault: a cleanup migration drops the composite (organization_id, merged_category) index as "unused".
-- records-by-org-category now reads the whole table: a BLOCKER sequential scan whose fix names both columns.
-- Expect: plan.audit seq-scan @ query:records-by-org-category
-- Expect: plan.audit generated-column-unindexed @ query:records-by-org-category
-- Expect: hygiene.generated-predicate-index generated-predicate-without-index @ query:records-by-org-category/merged_category
DROP INDEX idx_pfa_org_category;
