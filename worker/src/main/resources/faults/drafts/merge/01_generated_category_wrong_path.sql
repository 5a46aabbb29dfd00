-- Fault: the PIM announced that a new feed version nests the category under "taxonomy", and a migration switched
-- the generated column ahead of time; the feed still sends "category" at the top, so item_category is NULL on
-- every item and category listings come back empty.
-- Expect: merge.generated-column generated-column-drift @ generated-column:catalog_items.item_category
ALTER TABLE catalog_items ALTER COLUMN item_category SET EXPRESSION AS (body -> 'taxonomy' ->> 'category');
