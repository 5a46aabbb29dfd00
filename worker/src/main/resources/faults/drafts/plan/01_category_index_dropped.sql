-- Fault: a cleanup migration drops the (item_category, sku) index as "unused" (its statistics were reset). The
-- category listing now walks the whole catalog in key order and filters every item by category: no index serves
-- the generated column its WHERE clause names (the planner prefers the primary key's order to a sequential scan
-- and a sort, so the finding is the unindexed generated column, not a sequential scan).
-- Expect: plan.audit generated-column-unindexed @ query:items-by-category
-- Expect: hygiene.generated-predicate-index generated-predicate-without-index @ query:items-by-category/item_category
DROP INDEX idx_catalog_items_category;
