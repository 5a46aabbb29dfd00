-- Fault 7 (beyond the issue's six): the merge function stays IMMUTABLE but now reads a table (it fills in the
-- equipment class from categories). Expected: merge.volatility immutable-reads-table naming public.categories.
-- Expect: merge.volatility immutable-reads-table @ function:pfa_merge
CREATE OR REPLACE FUNCTION pfa_merge(mirror jsonb, delta jsonb) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path FROM CURRENT
AS $$
DECLARE
    result jsonb;
    k      text;
    v      jsonb;
    class  text;
BEGIN
    IF mirror IS NULL THEN
        mirror := '{}'::jsonb;
    END IF;
    IF delta IS NULL THEN
        RETURN mirror;
    END IF;
    IF jsonb_typeof(delta) <> 'object' THEN
        RETURN delta;
    END IF;
    IF jsonb_typeof(mirror) <> 'object' THEN
        mirror := '{}'::jsonb;
    END IF;
    result := mirror;
    FOR k, v IN SELECT e.key, e.value FROM jsonb_each(delta) AS e LOOP
        IF jsonb_typeof(v) = 'object' AND jsonb_typeof(result -> k) = 'object' THEN
            result := result || jsonb_build_object(k, pfa_merge(result -> k, v));
        ELSE
            result := result || jsonb_build_object(k, v);
        END IF;
    END LOOP;
    -- The regression: a lookup in an IMMUTABLE function. Only for documents that name a known category, so the
    -- merged values of the battery stay right and only the volatility check can see it.
    SELECT c.equipment_class INTO class FROM categories c WHERE c.name = result ->> 'category';
    RETURN result;
END
$$;
