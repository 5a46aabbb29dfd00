-- The forecast-start index is dropped ("unused") although the forecast-window query filters on the column.
DROP INDEX idx_pfa_forecast_start;
