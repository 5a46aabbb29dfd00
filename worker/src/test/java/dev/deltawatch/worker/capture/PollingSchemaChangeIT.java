package dev.deltawatch.worker.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.contracts.SchemaChange;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PollingSchemaChangeIT extends SchemaChangeScenario {
    @BeforeAll
    static void start() throws Exception {
        startIn("ddl_polling", SchemaMode.POLLING, SchemaMode.POLLING);
    }

    /** No column changes: only the table's own entry (its replica identity) can report an ALTER of the table. */
    @Test
    void replicaIdentityChangeIsReportedAsAnAlterOfItsTable() throws Exception {
        fixture.execute("ALTER TABLE pfa_records REPLICA IDENTITY DEFAULT");
        try {
            SchemaChange c = awaitChange(s -> s.commandTag().equals("ALTER TABLE")
                    && s.objectIdentity().equals("public.pfa_records"));
            assertThat(c.objectType()).isEqualTo("table");
            assertThat(c.tableName()).isEqualTo("public.pfa_records");
        } finally {
            fixture.execute("ALTER TABLE pfa_records REPLICA IDENTITY FULL");
        }
    }
}
