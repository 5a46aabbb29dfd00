-- Fault: the item_sku index of the drafts is dropped because "the unique constraint already covers item_sku";
-- it leads with author_id, so "who else drafts this item?" scans every draft (and so does each item delete's
-- cascade).
-- Expect: plan.audit index-scan-without-leading-column @ query:drafts-of-item
-- Rows: 15000              (plan rules judge tables over 10K rows)
DROP INDEX idx_item_drafts_item;
