-- deltawatch capture, event-trigger mode (needs a superuser). Every failure is caught and recorded in the
-- audit row: the trigger must never abort the user's DDL.
CREATE OR REPLACE FUNCTION deltawatch.record_ddl_end() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    r   record;
    tbl text;
    def text;
BEGIN
    FOR r IN SELECT * FROM pg_event_trigger_ddl_commands() LOOP
        BEGIN
            tbl := NULL;
            def := NULL;
            IF r.object_type = 'index' THEN
                SELECT format('%I.%I', n.nspname, t.relname), pg_get_indexdef(i.indexrelid) INTO tbl, def
                  FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
                 WHERE i.indexrelid = r.objid;
                IF tbl IS NOT NULL THEN
                    INSERT INTO deltawatch.object_table (object_identity, table_name) VALUES (r.object_identity, tbl)
                    ON CONFLICT (object_identity) DO UPDATE SET table_name = EXCLUDED.table_name;
                END IF;
            ELSIF r.object_type = 'trigger' THEN
                SELECT format('%I.%I', n.nspname, t.relname), pg_get_triggerdef(g.oid) INTO tbl, def
                  FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid JOIN pg_namespace n ON n.oid = t.relnamespace
                 WHERE g.oid = r.objid;
            ELSIF r.object_type IN ('function', 'procedure') THEN
                def := pg_get_functiondef(r.objid);
            ELSIF r.object_type IN ('table', 'table column') THEN
                -- The column list (types, NOT NULL, defaults and generated expressions) stands for the definition.
                SELECT format('%I.%I', n.nspname, t.relname),
                       (SELECT string_agg(concat_ws(' ', quote_ident(a.attname), format_type(a.atttypid, a.atttypmod),
                                                    a.attnotnull, a.attgenerated, pg_get_expr(d.adbin, d.adrelid)),
                                          ', ' ORDER BY a.attnum)
                          FROM pg_attribute a
                          LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                         WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped)
                  INTO tbl, def
                  FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
                 WHERE t.oid = r.objid;
            END IF;
            INSERT INTO deltawatch.ddl_audit (event, command_tag, object_type, object_identity, schema_name,
                                              table_name, definition_hash)
            VALUES ('ddl_command_end', r.command_tag, r.object_type, r.object_identity, r.schema_name, tbl, md5(def));
        EXCEPTION WHEN OTHERS THEN
            BEGIN
                INSERT INTO deltawatch.ddl_audit (event, command_tag, object_type, object_identity, schema_name, error)
                VALUES ('ddl_command_end', r.command_tag, r.object_type, r.object_identity, r.schema_name,
                        SQLSTATE || ': ' || SQLERRM);
            EXCEPTION WHEN OTHERS THEN
                NULL; -- the audit table itself is unusable; the user's DDL still goes through
            END;
        END;
    END LOOP;
EXCEPTION WHEN OTHERS THEN
    NULL; -- e.g. pg_event_trigger_ddl_commands() failing: never abort the user's DDL
END
$fn$;

CREATE OR REPLACE FUNCTION deltawatch.record_sql_drop() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    r   record;
    tbl text;
BEGIN
    FOR r IN SELECT * FROM pg_event_trigger_dropped_objects() WHERE NOT is_temporary LOOP
        BEGIN
            tbl := NULL;
            IF r.object_type IN ('trigger', 'table column', 'table constraint', 'rule', 'policy') THEN
                -- address_names is {schema, table, name}: the table survives in it after the drop.
                tbl := format('%I.%I', r.address_names[1], r.address_names[2]);
            ELSIF r.object_type = 'index' THEN
                -- The index's catalog row is already gone: use what ddl_command_end or install remembered.
                DELETE FROM deltawatch.object_table WHERE object_identity = r.object_identity RETURNING table_name INTO tbl;
            ELSIF r.object_type = 'table' THEN
                tbl := r.object_identity;
            END IF;
            INSERT INTO deltawatch.ddl_audit (event, command_tag, object_type, object_identity, schema_name, table_name)
            VALUES ('sql_drop', tg_tag, r.object_type, r.object_identity, r.schema_name, tbl);
        EXCEPTION WHEN OTHERS THEN
            BEGIN
                INSERT INTO deltawatch.ddl_audit (event, command_tag, object_type, object_identity, schema_name, error)
                VALUES ('sql_drop', tg_tag, r.object_type, r.object_identity, r.schema_name, SQLSTATE || ': ' || SQLERRM);
            EXCEPTION WHEN OTHERS THEN
                NULL;
            END;
        END;
    END LOOP;
EXCEPTION WHEN OTHERS THEN
    NULL;
END
$fn$;

DROP EVENT TRIGGER IF EXISTS deltawatch_ddl_end;
CREATE EVENT TRIGGER deltawatch_ddl_end ON ddl_command_end EXECUTE FUNCTION deltawatch.record_ddl_end();
DROP EVENT TRIGGER IF EXISTS deltawatch_sql_drop;
CREATE EVENT TRIGGER deltawatch_sql_drop ON sql_drop EXECUTE FUNCTION deltawatch.record_sql_drop();
