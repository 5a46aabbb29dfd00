-- Fault, applied after a baseline was taken: the merged_forecast_start index is dropped. records-by-forecast-window
-- and mobilizations-on-day change plan shape and slow down: REGRESSED, with the baseline plan beside the new one.
-- Expect: plan.audit plan-regression @ query:records-by-forecast-window
DROP INDEX idx_pfa_forecast_start;
