-- Fault: the updated_at index of the overrides is dropped ("writes got slower"): the recent-overrides page reads
-- and sorts every override (a sequential scan over 10K rows from about 30K pages on).
-- Expect: plan.audit seq-scan @ query:recent-overrides
-- Rows: 30000              (plan rules judge tables over 10K rows)
DROP INDEX idx_content_overrides_recent;
