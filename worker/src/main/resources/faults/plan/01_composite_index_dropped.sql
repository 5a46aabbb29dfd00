-- Fault: a cleanup migration drops the composite (organization_id, merged_category) index as "unused".
-- records-by-org-category now reads the whole table: a BLOCKER sequential scan whose fix names both columns.
-- Expect: plan.audit seq-scan @ query:records-by-org-category
DROP INDEX idx_pfa_org_category;
