package dev.deltawatch.worker.check.lock;

import static dev.deltawatch.worker.check.lock.LockTestSupport.applyFault;
import static dev.deltawatch.worker.check.lock.LockTestSupport.assertNothingLeftBehind;
import static dev.deltawatch.worker.check.lock.LockTestSupport.findings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.RowImage;
import dev.deltawatch.contracts.SourcePosition;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fault 5 (an unversioned bulk-import UPDATE) through the passive check. Capture is another component, so the
 * test builds the change events itself from the before and after rows it reads around each write, with the
 * writing transaction's id, exactly as capture would deliver them under REPLICA IDENTITY FULL.
 */
class VersionDisciplineIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static HikariDataSource ds;
    private static CheckContext context;

    @BeforeAll
    static void install() throws Exception {
        ds = TestInfrastructure.referenceTarget("version_discipline");
        applyFault(ds, "lock/05_bulk_import_unversioned.sql");
        context = TestInfrastructure.referenceContext(ds);
    }

    @AfterAll
    static void close() throws Exception {
        assertNothingLeftBehind(ds);
        ds.close();
    }

    @Test
    void writesThroughTheWritePathPass() throws Exception {
        long id = insertRecord();
        ChangeEvent e = captured(id, "SELECT pfa_update_delta(?, '{\"notes\":\"edited\"}'::jsonb, 1)");
        assertThat(findings(new VersionDisciplineCheck(1000, Duration.ofHours(1)).evaluate(context, List.of(e))))
                .isEmpty();
    }

    @Test
    void bulkImportWithoutVersionBumpBypassesOptimisticLocking() throws Exception {
        long id = insertRecord();
        ChangeEvent e = captured(id, "SELECT pfa_bulk_import(jsonb_build_object(?::text, '{\"notes\":\"imported\"}'::jsonb))");
        List<Finding> found = findings(new VersionDisciplineCheck(1000, Duration.ofHours(1))
                .evaluate(context, List.of(e)));
        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(VersionDisciplineCheck.RULE_BYPASS);
            assertThat(f.evidence().get(0).content()).contains("tx " + e.source().txId());
        });
    }

    @Test
    void writePathWithoutVersionBumpShowsAsBypassAndLostUpdateNamingBothTransactions() throws Exception {
        try (HikariDataSource fault2 = TestInfrastructure.referenceTarget("version_discipline_f2")) {
            applyFault(fault2, "lock/02_version_not_incremented.sql");
            long id = insertRecord(fault2);
            ChangeEvent first = captured(fault2, id, "SELECT pfa_update_delta(?, '{\"notes\":\"a\"}'::jsonb, 1)");
            ChangeEvent second = captured(fault2, id, "SELECT pfa_update_delta(?, '{\"notes\":\"b\"}'::jsonb, 1)");
            List<Finding> found = findings(new VersionDisciplineCheck(1000, Duration.ofHours(1))
                    .evaluate(TestInfrastructure.referenceContext(fault2), List.of(first, second)));
            assertThat(found).extracting(Finding::rule).containsExactlyInAnyOrder(VersionDisciplineCheck.RULE_BYPASS,
                    VersionDisciplineCheck.RULE_LOST);
            assertThat(found).filteredOn(f -> f.rule().equals(VersionDisciplineCheck.RULE_LOST)).singleElement()
                    .satisfies(f -> assertThat(f.evidence().get(0).content())
                            .contains("tx " + first.source().txId(), "tx " + second.source().txId()));
            assertNothingLeftBehind(fault2);
        }
    }

    private static long insertRecord() throws Exception {
        return insertRecord(ds);
    }

    private static ChangeEvent captured(long id, String writeSql) throws Exception {
        return captured(ds, id, writeSql);
    }

    private static long insertRecord(HikariDataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO pfa_records (organization_id, mirror_json) VALUES ('RIO', '{\"category\":\"Pumps\"}') "
                        + "RETURNING id"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Runs {@code writeSql} (one parameter: the id) in its own transaction; returns the event capture would emit. */
    private static ChangeEvent captured(HikariDataSource ds, long id, String writeSql) throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            RowImage before = image(c, id);
            try (PreparedStatement ps = c.prepareStatement(writeSql)) {
                ps.setLong(1, id);
                ps.execute();
            }
            RowImage after = image(c, id);
            long tx;
            try (PreparedStatement ps = c.prepareStatement("SELECT txid_current()"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                tx = rs.getLong(1);
            }
            c.commit();
            return ChangeEvent.deltaRow("it-" + id + "-" + tx, "pfa_records", Long.toString(id), ChangeEvent.Operation.UPDATE,
                    before, after, new SourcePosition("0/" + Long.toHexString(id), tx, Instant.now()), Instant.now());
        }
    }

    private static RowImage image(Connection c, long id) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT mirror_json::text, delta_json::text, version FROM pfa_records WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String delta = rs.getString(2);
                return new RowImage(JSON.readTree(rs.getString(1)), delta == null ? null : JSON.readTree(delta),
                        rs.getLong(3), true);
            }
        }
    }
}
