package dev.deltawatch.worker.check.hygiene;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/** Shared steps of the hygiene tests: fault migrations, seed rows, running a check, picking findings. */
final class HygieneFixtures {
    private HygieneFixtures() {}

    /** Settings for tests: the defaults, with a one-second pooling window so a full run stays fast. */
    static HygieneSettings fastSettings() {
        return HygieneSettings.defaults().withPooling(Duration.ofSeconds(1), Duration.ofMillis(100), 60, 20, 0.8);
    }

    /**
     * Applies {@code faults/hygiene/<file>} statement by statement in autocommit (CREATE INDEX CONCURRENTLY cannot
     * run in a transaction block). A statement preceded by a {@code -- expect-error} comment may fail: that failure
     * is the fault (e.g. the invalid index a failed concurrent build leaves).
     */
    static void applyFault(DataSource ds, String file) throws SQLException, IOException {
        applyFault(ds, "hygiene", file);
    }

    /** Applies {@code faults/<catalog>/<file>} the same way: a fault of another family this check must also see. */
    static void applyFault(DataSource ds, String catalog, String file) throws SQLException, IOException {
        String script;
        try (InputStream in = HygieneFixtures.class.getResourceAsStream("/faults/" + catalog + "/" + file)) {
            if (in == null) {
                throw new IOException("no fault migration faults/" + catalog + "/" + file);
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            for (String statement : SqlText.statements(script)) {
                try {
                    s.execute(statement);
                } catch (SQLException e) {
                    if (!statement.contains("-- expect-error")) {
                        throw new SQLException("fault " + file + " failed at: " + statement + ": " + e.getMessage(), e);
                    }
                }
            }
        }
    }

    /** Inserts {@code rows} PFA records: ten organizations, five categories, half with a delta overriding the category. */
    static void seed(DataSource ds, int rows) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO pfa_records (organization_id, mirror_json, delta_json)
                SELECT (ARRAY['HOLNG','RIO','BHP','FMG','VALE','ANGLO','GLEN','NEWM','BARR','TECK'])[1 + g % 10],
                       jsonb_build_object('category', (ARRAY['Cranes','Excavators','Generators','Loaders','Pumps'])[1 + g % 5],
                                          'cost', g,
                                          'forecast', jsonb_build_object(
                                              'start', to_char(date '2024-01-01' + g % 365, 'YYYY-MM-DD'),
                                              'end', to_char(date '2025-01-01' + g % 365, 'YYYY-MM-DD'))),
                       CASE WHEN g % 2 = 0 THEN jsonb_build_object('category', 'Trucks') END
                  FROM generate_series(1, ?) AS g""")) {
            ps.setInt(1, rows);
            ps.executeUpdate();
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE pfa_records");
            }
        }
    }

    static List<CheckResult> run(Check check, CheckContext context) throws Exception {
        return check.run(context, CheckScope.all());
    }

    static List<Finding> findings(List<CheckResult> results, String rule) {
        return results.stream().filter(CheckResult::failed).map(CheckResult::finding)
                .filter(f -> f.rule().equals(rule)).toList();
    }

    static List<Finding> atLeastMedium(List<CheckResult> results) {
        return results.stream().filter(CheckResult::failed).map(CheckResult::finding)
                .filter(f -> f.severity().compareTo(Severity.MEDIUM) <= 0).toList();
    }

    /** A readable dump of findings for assertion messages. */
    static String describe(List<Finding> findings) {
        StringBuilder b = new StringBuilder();
        for (Finding f : findings) {
            b.append(f.severity()).append(' ').append(f.rule()).append(' ').append(f.subject()).append(": ")
                    .append(f.title()).append('\n');
            f.evidence().forEach(e -> b.append("    ").append(e.label()).append(": ").append(e.content()).append('\n'));
        }
        return b.toString();
    }
}
