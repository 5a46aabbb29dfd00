package dev.deltawatch.worker.check.lock;

import static dev.deltawatch.worker.check.lock.LockTestSupport.applyFault;
import static dev.deltawatch.worker.check.lock.LockTestSupport.assertNothingLeftBehind;
import static dev.deltawatch.worker.check.lock.LockTestSupport.findings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.FindingStatus;
import dev.deltawatch.contracts.RowImage;
import dev.deltawatch.contracts.SourcePosition;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.findings.FindingLifecycle;
import dev.deltawatch.worker.findings.Observation;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    void badWriteToOneRecordStaysOpenThroughCleanWritesToAnotherAndResolvesWhenItIsWrittenCleanly()
            throws Exception {
        VersionDisciplineCheck check = new VersionDisciplineCheck(1000, Duration.ofHours(1));
        FindingLifecycle lifecycle = new FindingLifecycle();
        Map<String, Finding> known = new HashMap<>();
        List<Finding> announced = new ArrayList<>();
        long a = insertRecord();
        long b = insertRecord();
        publish(check, lifecycle, known, announced, captured(a,
                "SELECT pfa_bulk_import(jsonb_build_object(?::text, '{\"notes\":\"imported\"}'::jsonb))"));
        publish(check, lifecycle, known, announced, captured(b, "SELECT pfa_update_delta(?, '{\"notes\":\"b1\"}'::jsonb, 1)"));
        publish(check, lifecycle, known, announced, captured(b, "SELECT pfa_update_delta(?, '{\"notes\":\"b2\"}'::jsonb, 2)"));
        assertThat(announced).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(FindingStatus.OPENED);
            assertThat(f.rule()).isEqualTo(VersionDisciplineCheck.RULE_BYPASS);
            assertThat(f.subject()).isEqualTo(new Subject("record", "public.pfa_records/" + a));
        });
        publish(check, lifecycle, known, announced, captured(a, "SELECT pfa_update_delta(?, '{\"notes\":\"a\"}'::jsonb, 1)"));
        assertThat(announced).extracting(Finding::status).containsExactly(FindingStatus.OPENED, FindingStatus.RESOLVED);
        assertThat(announced.get(1).fingerprint()).isEqualTo(announced.get(0).fingerprint());
    }

    /** What the publisher does with one run's results: observations through the lifecycle, announcements kept. */
    private static void publish(VersionDisciplineCheck check, FindingLifecycle lifecycle, Map<String, Finding> known,
                                List<Finding> announced, ChangeEvent e) {
        List<Observation> observations = check.evaluate(context, List.of(e)).stream()
                .map(r -> r.failed() ? Observation.fail(r.finding())
                        : Observation.pass("lock", r.rule(), context.targetName(), r.subject())).toList();
        FindingLifecycle.Decision d = lifecycle.decide(known, observations, null, Instant.now());
        known.putAll(d.changed());
        announced.addAll(d.announcements());
    }

    @Test
    void sequentialWritesThroughAPathWithoutVersionBumpAreABypassNotALostUpdate() throws Exception {
        try (HikariDataSource fault2 = TestInfrastructure.referenceTarget("version_discipline_f2")) {
            applyFault(fault2, "lock/02_version_not_incremented.sql");
            long id = insertRecord(fault2);
            ChangeEvent first = captured(fault2, id, "SELECT pfa_update_delta(?, '{\"notes\":\"a\"}'::jsonb, 1)");
            ChangeEvent second = captured(fault2, id, "SELECT pfa_update_delta(?, '{\"notes\":\"b\"}'::jsonb, 1)");
            List<Finding> found = findings(new VersionDisciplineCheck(1000, Duration.ofHours(1))
                    .evaluate(TestInfrastructure.referenceContext(fault2), List.of(first, second)));
            // One after the other, atomic, unversioned: both writes start from version 1 by construction, which
            // is the bypass itself, not two writers racing.
            assertThat(found).singleElement().satisfies(f -> {
                assertThat(f.rule()).isEqualTo(VersionDisciplineCheck.RULE_BYPASS);
                assertThat(f.severity()).isEqualTo(dev.deltawatch.contracts.Severity.HIGH);
                assertThat(f.evidence().get(0).content())
                        .contains("tx " + first.source().txId(), "tx " + second.source().txId());
            });
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
