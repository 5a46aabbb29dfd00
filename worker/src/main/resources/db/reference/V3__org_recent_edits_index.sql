-- The "recently edited records of an organization" page orders by updated_at within one organization. Without
-- this index the plan audit rightly reports a sequential scan on realistic (skewed) data: the largest
-- organization holds about a third of the rows, so the planner would rather read the whole table and sort.
CREATE INDEX idx_pfa_org_updated ON pfa_records (organization_id, updated_at DESC, id);
