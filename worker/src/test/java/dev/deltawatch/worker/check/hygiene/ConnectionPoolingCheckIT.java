package dev.deltawatch.worker.check.hygiene;

import static dev.deltawatch.worker.check.hygiene.HygieneFixtures.describe;
import static dev.deltawatch.worker.check.hygiene.HygieneFixtures.findings;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConnectionPoolingCheckIT {
    private static HikariDataSource ds;
    private static CheckContext context;

    @BeforeAll
    static void install() throws Exception {
        ds = TestInfrastructure.referenceTarget("hygiene_pooling");
        context = TestInfrastructure.referenceContext(ds);
    }

    @AfterAll
    static void close() {
        ds.close();
    }

    @Test
    void twoHundredShortLivedConnectionsMeanNoPoolingIsEvident() throws Exception {
        HygieneSettings settings = HygieneSettings.defaults()
                .withPooling(Duration.ofSeconds(2), Duration.ofMillis(50), 60, 20, 0.8);
        // A client that connects per request: 200 connections opened and closed in a loop during the window.
        CompletableFuture<Integer> churn = CompletableFuture.supplyAsync(() -> {
            int opened = 0;
            for (int i = 0; i < 200; i++) {
                try (Connection c = connect("churn-app")) {
                    c.isValid(1);
                    opened++;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
            return opened;
        });
        List<CheckResult> results = new ConnectionPoolingCheck(settings).run(context, CheckScope.all());
        assertThat(churn.get(60, TimeUnit.SECONDS)).isEqualTo(200);

        List<Finding> noPooling = findings(results, ConnectionPoolingCheck.NO_POOLING);
        assertThat(noPooling).as(describe(noPooling)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.title()).startsWith("No connection pooling evident");
            assertThat(f.evidence().get(0).content()).contains("new sessions (pg_stat_database.sessions");
        });
        assertThat(findings(results, ConnectionPoolingCheck.NEAR_MAX)).isEmpty();
    }

    @Test
    void connectionsAboveTheShareOfMaxConnectionsAreHigh() throws Exception {
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                held.add(connect("holder-app"));
            }
            // 40 held of max_connections 300 is 13%: a 10% threshold makes this workload "near max" without
            // opening 240 backends on a shared test machine.
            HygieneSettings settings = HygieneSettings.defaults()
                    .withPooling(Duration.ofMillis(300), Duration.ofMillis(100), 60, 20, 0.1);
            List<CheckResult> results = new ConnectionPoolingCheck(settings).run(context, CheckScope.all());
            List<Finding> nearMax = findings(results, ConnectionPoolingCheck.NEAR_MAX);
            assertThat(nearMax).as(describe(nearMax)).singleElement().satisfies(f -> {
                assertThat(f.severity()).isEqualTo(Severity.HIGH);
                assertThat(f.evidence().get(0).content()).contains("holder-app | 0 | 0 | 40 |");
            });
            assertThat(findings(results, ConnectionPoolingCheck.NO_POOLING)).isEmpty();
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
    }

    private static Connection connect(String applicationName) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", ds.getUsername());
        p.setProperty("password", ds.getPassword() == null ? "" : ds.getPassword());
        p.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(ds.getJdbcUrl(), p);
    }
}
