package dev.deltawatch.worker.check.hygiene;

import static dev.deltawatch.worker.check.hygiene.HygieneFixtures.findings;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The replica identity capture relies on, judged on the reference target's published pfa_records. */
class ReplicaIdentityCheckIT {
    private static HikariDataSource ds;
    private static CheckContext context;

    @BeforeAll
    static void target() throws Exception {
        ds = TestInfrastructure.referenceTarget("hygiene_replident");
        context = TestInfrastructure.referenceContext(ds);
    }

    @AfterAll
    static void close() {
        ds.close();
    }

    private static List<Finding> judge(String identity, boolean published) throws Exception {
        execute("DROP PUBLICATION IF EXISTS replident_pub");
        if (published) {
            execute("CREATE PUBLICATION replident_pub FOR TABLE pfa_records");
        }
        execute("ALTER TABLE pfa_records REPLICA IDENTITY " + identity);
        try {
            List<CheckResult> results = HygieneFixtures.run(new ReplicaIdentityCheck(), context);
            assertThat(results).extracting(r -> r.subject().name()).contains("public.pfa_records");
            return findings(results, ReplicaIdentityCheck.RULE);
        } finally {
            execute("ALTER TABLE pfa_records REPLICA IDENTITY FULL");
        }
    }

    @Test
    void aPublishedTableThatIsFullPasses() throws Exception {
        assertThat(judge("FULL", true)).isEmpty();
    }

    @Test
    void aPublishedTableWithKeyOnlyBeforeImagesIsHighNamingTheTableAndTheFix() throws Exception {
        assertThat(judge("DEFAULT", true)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.subject().name()).isEqualTo("public.pfa_records");
            assertThat(f.title()).isEqualTo("public.pfa_records is REPLICA IDENTITY DEFAULT; capture needs FULL");
            assertThat(f.problem()).contains("replident_pub").contains("version");
            assertThat(f.fix()).isEqualTo("ALTER TABLE public.pfa_records REPLICA IDENTITY FULL;");
        });
    }

    @Test
    void aPublishedTableWithoutAnyReplicaIdentityIsBlockerBecauseItsWritesFail() throws Exception {
        assertThat(judge("NOTHING", true)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.BLOCKER);
            assertThat(f.problem()).contains("rejects every UPDATE and DELETE");
        });
    }

    @Test
    void aTableNoPublicationCarriesIsNotCapturedSoNothingReliesOnIt() throws Exception {
        assertThat(judge("DEFAULT", false)).isEmpty();
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
