-- Least-privilege role for the deltawatch worker, shown for the reference target (schema public,
-- table pfa_records, functions pfa_merge / pfa_update_delta). Adapt the object names to your target.
-- Run as a superuser (or the tables' owner), once per database, then give the role a password:
--   psql -v ON_ERROR_STOP=1 -f deploy/sql/role.sql
--   psql -c "ALTER ROLE deltawatch PASSWORD '...'"
-- What needs MORE than this role is listed at the end; deltawatch tells you at start which mode it runs in.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'deltawatch') THEN
        -- LOGIN to connect; REPLICATION so capture can stream the slot (pgoutput). Nothing else.
        CREATE ROLE deltawatch LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
END $$;

-- Bounded by default: even a check that forgets its own timeouts cannot hang on a lock or run away.
ALTER ROLE deltawatch SET statement_timeout = '60s';
ALTER ROLE deltawatch SET lock_timeout = '5s';
ALTER ROLE deltawatch SET idle_in_transaction_session_timeout = '60s';

-- pg_stat_statements, other sessions' pg_stat_activity rows, pg_blocking_pids, pg_stat_database:
-- the plan, lock and hygiene checks read them.
GRANT pg_read_all_stats TO deltawatch;

-- A schema of its own: plan baselines, DDL audit, heartbeat, isolation-matrix probe tables.
CREATE SCHEMA IF NOT EXISTS deltawatch AUTHORIZATION deltawatch;
-- Capture's tables in it are created by an admin (`deltawatch setup` / `capture install`, see the end), so they
-- belong to the admin; the worker writes the heartbeat (which lets the slot advance on a quiet database) and,
-- when it polls the catalog, the fingerprint. The first line covers tables that exist already, the second those
-- this same admin role creates later.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA deltawatch TO deltawatch;
ALTER DEFAULT PRIVILEGES IN SCHEMA deltawatch GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO deltawatch;

GRANT USAGE ON SCHEMA public TO deltawatch;

-- Merge checks and plan audits read the watched table (mirror, delta, generated columns).
GRANT SELECT ON public.pfa_records, public.organizations, public.categories TO deltawatch;

-- The merge function is the subject of the merge checks; the write function is the path probes exercise.
GRANT EXECUTE ON FUNCTION public.pfa_merge(jsonb, jsonb) TO deltawatch;
GRANT EXECUTE ON FUNCTION public.pfa_update_delta(bigint, jsonb, integer, text) TO deltawatch;

-- Probes write only rows of the reserved namespace. The write function runs as the caller, so the role needs
-- row privileges on the table; row-level security confines them to the probe namespace. The permissive
-- policy for everyone keeps every other role's access exactly as it was (owners bypass RLS anyway).
GRANT INSERT, UPDATE, DELETE ON public.pfa_records TO deltawatch;
GRANT INSERT, DELETE ON public.organizations TO deltawatch;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO deltawatch;

ALTER TABLE public.pfa_records ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.organizations ENABLE ROW LEVEL SECURITY;
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES ('pfa_records', 'organization_id'), ('organizations', 'id')) AS v(tab, col) LOOP
        EXECUTE format('DROP POLICY IF EXISTS everyone_unchanged ON public.%I', t.tab);
        EXECUTE format('CREATE POLICY everyone_unchanged ON public.%I AS PERMISSIVE FOR ALL TO PUBLIC '
                       'USING (true) WITH CHECK (true)', t.tab);
        EXECUTE format('DROP POLICY IF EXISTS deltawatch_probe_insert ON public.%I', t.tab);
        EXECUTE format('CREATE POLICY deltawatch_probe_insert ON public.%I AS RESTRICTIVE FOR INSERT TO deltawatch '
                       'WITH CHECK (%I = %L)', t.tab, t.col, '__deltawatch_probe__');
        EXECUTE format('DROP POLICY IF EXISTS deltawatch_probe_update ON public.%I', t.tab);
        EXECUTE format('CREATE POLICY deltawatch_probe_update ON public.%I AS RESTRICTIVE FOR UPDATE TO deltawatch '
                       'USING (%I = %L) WITH CHECK (%I = %L)', t.tab, t.col, '__deltawatch_probe__', t.col,
                       '__deltawatch_probe__');
        EXECUTE format('DROP POLICY IF EXISTS deltawatch_probe_delete ON public.%I', t.tab);
        EXECUTE format('CREATE POLICY deltawatch_probe_delete ON public.%I AS RESTRICTIVE FOR DELETE TO deltawatch '
                       'USING (%I = %L)', t.tab, t.col, '__deltawatch_probe__');
    END LOOP;
END $$;

-- What this role cannot do, and who does it instead:
--   * CREATE PUBLICATION ... FOR TABLE needs table ownership: `deltawatch setup --config worker.yaml` (or
--     `deltawatch capture install`) runs once as an admin, the same role that ran this script.
--   * Event triggers need a superuser: installed by `capture install` as admin; without them capture polls a
--     catalog fingerprint every few seconds (it says so at start).
--   * `plan --verify-fixes` builds indexes inside a rolled-back transaction: needs CREATE on the schema and
--     ownership of the table, so it is off for this role.
