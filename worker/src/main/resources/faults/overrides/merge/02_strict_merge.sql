-- Fault: the merge function is marked STRICT "so the planner can skip NULL inputs". Every page without an
-- override (LEFT JOIN: a SQL NULL override) now merges to SQL NULL: two thirds of the site render empty.
-- Expect: merge.battery battery-mismatch @ function:override_merge
-- Expect: merge.differential merged-value-mismatch @ document:*
-- Expect: merge.battery systematic-mismatch @ function:override_merge
-- Expect: merge.battery generated-mismatch @ function:override_merge
-- Expect: edge.write-path edge-write-altered @ edge-case:patch with nulls
-- Expect: edge.write-path edge-write-altered @ edge-case:nesting 100 deep
ALTER FUNCTION override_merge(jsonb, jsonb) STRICT;
