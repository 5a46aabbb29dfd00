-- Fault 6: the generated category is computed from the mirror only, ignoring the delta.
-- Applied on the clean reference target (after V1/V2). Expected: merge.generated-column generated-column-drift
-- at $.category on every record whose delta changes the category.
-- Dropping and adding the column works on every supported version (17 also has ALTER COLUMN ... SET EXPRESSION);
-- the drop takes the index with it, so it is created again.
-- Expect: merge.generated-column generated-column-drift @ generated-column:pfa_records.merged_category
ALTER TABLE pfa_records DROP COLUMN merged_category;
ALTER TABLE pfa_records ADD COLUMN merged_category text GENERATED ALWAYS AS (mirror_json ->> 'category') STORED;
CREATE INDEX idx_pfa_org_category ON pfa_records (organization_id, merged_category);
