-- Fault: work_mem lowered to 256kB for the role the audit runs as, in this database only (role settings are
-- cluster-wide otherwise). org-recently-edited-page keeps 2,100 sorted rows (LIMIT 100 OFFSET 2000), about 340 kB:
-- its sort now spills to disk (MEDIUM). Takes effect for new sessions. The page's ordered index is dropped as well,
-- as on a target that never had it, so the page needs a sort at all.
-- Expect: plan.audit disk-spill @ query:org-recently-edited-page
-- Expect: plan.audit seq-scan @ query:org-recently-edited-page
DROP INDEX IF EXISTS idx_pfa_org_updated;
DO $$
BEGIN
    EXECUTE format('ALTER ROLE %I IN DATABASE %I SET work_mem = %L', current_user, current_database(), '256kB');
END
$$;
