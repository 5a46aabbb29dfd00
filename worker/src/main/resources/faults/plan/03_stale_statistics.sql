-- Fault: autovacuum switched off on the table, then a bulk reschedule (10% of the records now start on
-- 2024-03-15) without ANALYZE. The planner still believes ~30 records start that day: a MEDIUM misestimate.
-- Expect: plan.audit row-misestimate @ query:mobilizations-on-day
ALTER TABLE pfa_records SET (autovacuum_enabled = false, toast.autovacuum_enabled = false);
UPDATE pfa_records
   SET mirror_json = jsonb_set(mirror_json, '{forecast,start}', '"2024-03-15"')
 WHERE id % 10 = 3;
