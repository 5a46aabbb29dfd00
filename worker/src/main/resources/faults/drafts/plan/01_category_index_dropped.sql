-- Fault: a cleanup migration drops the (item_category, sku) index as "unused" (its statistics were reset). The
-- category listing now reads the whole catalog and sorts it: a sequential scan on a table over 10K rows.
-- Expect: plan.audit seq-scan @ query:items-by-category
DROP INDEX idx_catalog_items_category;
