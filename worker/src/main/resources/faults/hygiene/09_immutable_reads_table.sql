-- A generated column that looks up the equipment class through a function declared IMMUTABLE although it reads
-- the categories table: editing categories never reaches the stored values.
-- Expect: hygiene.function-hygiene volatility-mismatch @ function:pfa_category_class
-- Expect: merge.volatility immutable-reads-table @ function:pfa_category_class
CREATE FUNCTION pfa_category_class(category text) RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path FROM CURRENT
AS $$
    SELECT equipment_class FROM categories WHERE name = category
$$;
ALTER TABLE pfa_records ADD COLUMN merged_class text
    GENERATED ALWAYS AS (pfa_category_class(pfa_merge(mirror_json, delta_json) ->> 'category')) STORED;
