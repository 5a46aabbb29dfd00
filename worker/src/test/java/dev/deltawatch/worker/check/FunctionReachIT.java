package dev.deltawatch.worker.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.worker.check.plan.QueryRelations;
import dev.deltawatch.worker.target.ReferenceTarget;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionReachIT {

    @Test
    void reachesWhatTheMergeAndWritePathsCallTransitivelyAndNothingElse() throws Exception {
        try (HikariDataSource ds = TestInfrastructure.referenceTarget("function_reach")) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                for (String ddl : """
                        CREATE FUNCTION dw_leaf(v jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$ SELECT v $$;
                        CREATE FUNCTION "dw_Middle"(v jsonb) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE
                            AS $$ BEGIN RETURN public.DW_LEAF(v); END $$;
                        CREATE FUNCTION dw_atomic(v jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE
                            BEGIN ATOMIC SELECT "dw_Middle"(v); END;
                        CREATE FUNCTION dw_unrelated() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
                        CREATE FUNCTION dw_touch() RETURNS trigger LANGUAGE plpgsql
                            AS $$ BEGIN NEW.updated_by := dw_actor(); RETURN NEW; END $$;
                        CREATE FUNCTION dw_actor() RETURNS text LANGUAGE sql AS $$ SELECT current_user::text $$;
                        CREATE TRIGGER dw_touch BEFORE UPDATE ON pfa_records FOR EACH ROW EXECUTE FUNCTION dw_touch()
                        """.split(";\n")) {
                    s.execute(ddl);
                }
                // The merge function now reaches dw_atomic -> "dw_Middle" -> dw_leaf.
                s.execute(ReferenceMergeWith.call("dw_atomic"));
            }
            Map<String, List<FunctionReach.Reach>> reach;
            try (Connection c = ds.getConnection()) {
                reach = FunctionReach.of(c, ReferenceTarget.config());
            }
            FunctionReach.Reach merge = new FunctionReach.Reach(false, "merge function public.pfa_merge");
            assertThat(reach.get("public.pfa_merge")).contains(merge);
            assertThat(reach.get("public.dw_atomic")).contains(merge);
            assertThat(reach.get("public.dw_Middle")).contains(merge);
            assertThat(reach.get("public.dw_leaf")).contains(merge);
            assertThat(reach.get("public.pfa_iso_date"))
                    .contains(new FunctionReach.Reach(false, "generated column pfa_records.merged_forecast_start"));
            assertThat(reach.get("public.pfa_update_delta"))
                    .contains(new FunctionReach.Reach(true, "write function public.pfa_update_delta"));
            assertThat(reach.get("public.dw_touch")).contains(new FunctionReach.Reach(true, "trigger dw_touch on pfa_records"));
            assertThat(reach.get("public.dw_actor")).contains(new FunctionReach.Reach(true, "trigger dw_touch on pfa_records"));
            assertThat(reach).doesNotContainKey("public.dw_unrelated");
        }
    }

    @Test
    void registeredQueriesNameTheTablesTheirPlansRead() throws Exception {
        try (HikariDataSource ds = TestInfrastructure.referenceTarget("query_relations");
             Connection c = ds.getConnection()) {
            Map<String, List<String>> byTable = QueryRelations.queriesByTable(c, ReferenceTarget.config());
            assertThat(byTable.get("public.pfa_records")).contains("records-by-org-category", "record-by-id");
            assertThat(byTable).doesNotContainKey("public.organizations");
        }
    }

    /** The shipped merge function with its plain-value branch routed through one helper. */
    static final class ReferenceMergeWith {
        static String call(String helper) {
            return """
                    CREATE OR REPLACE FUNCTION pfa_merge(mirror jsonb, delta jsonb) RETURNS jsonb
                        LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path FROM CURRENT
                    AS $$
                    DECLARE result jsonb; k text; v jsonb;
                    BEGIN
                        IF mirror IS NULL THEN mirror := '{}'::jsonb; END IF;
                        IF delta IS NULL THEN RETURN mirror; END IF;
                        IF jsonb_typeof(delta) <> 'object' THEN RETURN delta; END IF;
                        IF jsonb_typeof(mirror) <> 'object' THEN mirror := '{}'::jsonb; END IF;
                        result := mirror;
                        FOR k, v IN SELECT e.key, e.value FROM jsonb_each(delta) AS e LOOP
                            IF jsonb_typeof(v) = 'object' AND jsonb_typeof(result -> k) = 'object' THEN
                                result := result || jsonb_build_object(k, pfa_merge(result -> k, v));
                            ELSE
                                result := result || jsonb_build_object(k, %s(v));
                            END IF;
                        END LOOP;
                        RETURN result;
                    END $$""".formatted(helper);
        }
    }
}
