-- Removes everything deltawatch capture installed (the publication and slot are dropped separately, by name).
DROP EVENT TRIGGER IF EXISTS deltawatch_ddl_end;
DROP EVENT TRIGGER IF EXISTS deltawatch_sql_drop;
DROP SCHEMA IF EXISTS deltawatch CASCADE;
