-- Fault: the category index is rebuilt on the generated column's expression instead of the column. The
-- registered query filters on item_category, which no index has as a key any more.
-- Expect: plan.audit generated-column-unindexed @ query:items-by-category
-- Expect: hygiene.generated-predicate-index generated-predicate-without-index @ query:items-by-category/item_category
DROP INDEX idx_catalog_items_category;
CREATE INDEX idx_catalog_items_category ON catalog_items ((body ->> 'category'), sku);
