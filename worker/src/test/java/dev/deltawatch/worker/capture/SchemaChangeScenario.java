package dev.deltawatch.worker.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.contracts.SchemaChange;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The DDL every schema mode must report, naming the object and its table. Subclasses pick the mode. */
abstract class SchemaChangeScenario {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TABLE = "public.pfa_records";
    static CaptureFixture fixture;
    static TopicReader reader;

    static void startIn(String name, SchemaMode mode, SchemaMode expected) throws Exception {
        fixture = new CaptureFixture(name, 5, mode);
        ChangeCapture capture = fixture.startCapture();
        assertThat(capture.schemaMode()).isEqualTo(expected);
        reader = new TopicReader(fixture.settings.topic());
    }

    @AfterAll
    static void stop() throws Exception {
        reader.close();
        fixture.close();
    }

    @Test
    void createIndexIsReportedWithItsTable() throws Exception {
        fixture.execute("CREATE INDEX idx_dw_created ON pfa_records (updated_by)");
        SchemaChange c = awaitChange(s -> s.objectIdentity().equals("public.idx_dw_created")
                && s.commandTag().equals("CREATE INDEX"));
        assertThat(c.objectType()).isEqualTo("index");
        assertThat(c.tableName()).isEqualTo(TABLE);
        assertThat(c.definitionHash()).isNotBlank();
    }

    @Test
    void dropIndexIsReportedWithItsTable() throws Exception {
        fixture.execute("DROP INDEX idx_pfa_forecast_start");
        SchemaChange c = awaitChange(s -> s.objectIdentity().equals("public.idx_pfa_forecast_start")
                && s.commandTag().equals("DROP INDEX"));
        assertThat(c.objectType()).isEqualTo("index");
        assertThat(c.tableName()).isEqualTo(TABLE);
    }

    @Test
    void replacedMergeFunctionIsReported() throws Exception {
        fixture.execute("""
                CREATE OR REPLACE FUNCTION pfa_merge(mirror jsonb, delta jsonb) RETURNS jsonb
                    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT coalesce(mirror, '{}') || coalesce(delta, '{}') $$""");
        SchemaChange c = awaitChange(s -> s.objectIdentity().equals("public.pfa_merge(pg_catalog.jsonb,pg_catalog.jsonb)"));
        assertThat(c.objectType()).isEqualTo("function");
        assertThat(c.commandTag()).startsWith("CREATE");
        assertThat(c.definitionHash()).isNotBlank();
    }

    @Test
    void addedColumnIsReportedOnItsTable() throws Exception {
        fixture.execute("ALTER TABLE pfa_records ADD COLUMN dw_added text");
        SchemaChange c = awaitChange(s -> s.commandTag().equals("ALTER TABLE") && TABLE.equals(s.tableName())
                && (s.objectIdentity().equals(TABLE) || s.objectIdentity().equals(TABLE + ".dw_added")));
        assertThat(c.objectType()).startsWith("table");
    }

    @Test
    void createdTriggerIsReportedWithItsTable() throws Exception {
        fixture.execute("""
                CREATE FUNCTION dw_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
                CREATE TRIGGER dw_touch BEFORE UPDATE ON pfa_records FOR EACH ROW EXECUTE FUNCTION dw_touch()""");
        SchemaChange c = awaitChange(s -> s.objectIdentity().equals("dw_touch on public.pfa_records"));
        assertThat(c.objectType()).isEqualTo("trigger");
        assertThat(c.commandTag()).isEqualTo("CREATE TRIGGER");
        assertThat(c.tableName()).isEqualTo(TABLE);
    }

    static SchemaChange awaitChange(Predicate<SchemaChange> wanted) {
        return reader.await(e -> e.kind() == ChangeEvent.Kind.SCHEMA_CHANGE && wanted.test(e.schemaChange()),
                WAIT, "schema change").schemaChange();
    }
}
