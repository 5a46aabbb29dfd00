-- Fault: the generated category is canonicalized through a lookup in catalog_categories, by a function declared
-- IMMUTABLE although it reads a table: renaming a category never reaches the stored values, and a restore that
-- loads items before categories stores wrong ones. The values are right today; the declaration is the defect.
-- Expect: merge.volatility immutable-reads-table @ function:drafts_canonical_category
CREATE FUNCTION drafts_canonical_category(category text) RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path FROM CURRENT
AS $$
    SELECT coalesce((SELECT c.name FROM catalog_categories c WHERE lower(c.name) = lower(category)), category)
$$;
ALTER TABLE catalog_items ALTER COLUMN item_category
    SET EXPRESSION AS (drafts_canonical_category(body ->> 'category'));
