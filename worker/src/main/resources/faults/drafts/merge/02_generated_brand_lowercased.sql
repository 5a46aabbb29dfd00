-- Fault: the brand facet is "normalized" for case-insensitive search by lower-casing the generated column, which
-- now differs from the document's brand on every item ('northwind' vs 'Northwind').
-- Expect: merge.generated-column generated-column-drift @ generated-column:catalog_items.item_brand
ALTER TABLE catalog_items ALTER COLUMN item_brand SET EXPRESSION AS (lower(body ->> 'brand'));
