-- The forecast-start index is dropped ("unused") although the forecast-window query filters on the column.
-- Expect: hygiene.generated-predicate-index generated-predicate-without-index @ query:records-by-forecast-window/merged_forecast_start
-- Expect: hygiene.generated-predicate-index generated-predicate-without-index @ query:mobilizations-on-day/merged_forecast_start
-- Expect: plan.audit seq-scan @ query:records-by-forecast-window
-- Expect: plan.audit seq-scan @ query:mobilizations-on-day
-- Expect: plan.audit generated-column-unindexed @ query:records-by-forecast-window
-- Expect: plan.audit generated-column-unindexed @ query:mobilizations-on-day
DROP INDEX idx_pfa_forecast_start;
