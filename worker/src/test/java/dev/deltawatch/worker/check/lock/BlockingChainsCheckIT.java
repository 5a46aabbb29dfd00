package dev.deltawatch.worker.check.lock;

import static dev.deltawatch.worker.check.lock.LockTestSupport.assertNothingLeftBehind;
import static dev.deltawatch.worker.check.lock.LockTestSupport.fastSettings;
import static dev.deltawatch.worker.check.lock.LockTestSupport.findings;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BlockingChainsCheckIT {
    private static HikariDataSource ds;
    private static CheckContext context;

    @BeforeAll
    static void install() throws Exception {
        ds = TestInfrastructure.referenceTarget("blocking_chains");
        context = TestInfrastructure.referenceContext(ds);
    }

    @AfterAll
    static void close() throws Exception {
        assertNothingLeftBehind(ds);
        ds.close();
    }

    @Test
    void noWaitsNoFinding() throws Exception {
        assertThat(findings(new BlockingChainsCheck(fastSettings()).run(context, CheckScope.all()))).isEmpty();
    }

    @Test
    void aLongLockWaitNamesBlockedAndBlockingQueries() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection blocker = ds.getConnection(); Statement s = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            s.execute("UPDATE categories SET equipment_class = equipment_class WHERE name = 'Cranes'");
            Future<?> blocked = pool.submit(() -> {
                try (Connection c = ds.getConnection(); Statement w = c.createStatement()) {
                    w.execute("SET lock_timeout = '5s'");
                    w.execute("UPDATE categories SET equipment_class = 'Lifting' WHERE name = 'Cranes'");
                    w.execute("RESET lock_timeout");
                }
                return null;
            });
            Thread.sleep(600);
            List<Finding> found = findings(new BlockingChainsCheck(fastSettings()).run(context, CheckScope.all()));
            blocker.rollback();
            blocked.get();
            assertThat(found).singleElement().satisfies(f -> {
                assertThat(f.rule()).isEqualTo(BlockingChainsCheck.RULE);
                assertThat(f.evidence().get(0).content())
                        .contains("UPDATE categories SET equipment_class = 'Lifting'")
                        .contains("UPDATE categories SET equipment_class = equipment_class")
                        .contains("transaction age");
            });
        } finally {
            pool.shutdownNow();
        }
    }
}
