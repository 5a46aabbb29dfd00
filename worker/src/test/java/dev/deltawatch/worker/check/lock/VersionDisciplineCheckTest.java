package dev.deltawatch.worker.check.lock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.contracts.RowImage;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.FindingStatus;
import dev.deltawatch.contracts.SourcePosition;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.check.MergeCall;
import dev.deltawatch.worker.check.ResolvedTarget;
import dev.deltawatch.worker.findings.FindingLifecycle;
import dev.deltawatch.worker.findings.Observation;
import dev.deltawatch.worker.target.ExampleTargets;
import dev.deltawatch.worker.target.ReferenceTarget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The passive check on hand-built change events: no database is touched. */
class VersionDisciplineCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final CheckContext context = new CheckContext(new ResolvedTarget(ReferenceTarget.config(), "\"public\"",
            List.of(), MergeCall.of(ReferenceTarget.config().merge(), "\"public\".\"pfa_merge\""),
            "\"public\".\"pfa_update_delta\"", ResolvedTarget.InputDomain.unconstrained()), new PGSimpleDataSource(),
            Clock.fixed(T0, ZoneOffset.UTC), null, null, null);
    private int seq;

    private ChangeEvent update(String key, long tx, String deltaBefore, long vBefore, String deltaAfter, long vAfter) {
        seq++;
        return ChangeEvent.deltaRow("e" + seq, "pfa_records", key, ChangeEvent.Operation.UPDATE,
                new RowImage(json("{}"), json(deltaBefore), vBefore, true),
                new RowImage(json("{}"), json(deltaAfter), vAfter, true),
                new SourcePosition("0/" + seq, tx, T0.plusSeconds(seq)), T0.plusSeconds(seq));
    }

    private static JsonNode json(String s) {
        try {
            return s == null ? null : JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    private static List<CheckResult> failures(List<CheckResult> r) {
        return r.stream().filter(CheckResult::failed).toList();
    }

    @Test
    void versionedUpdatesPass() {
        VersionDisciplineCheck check = new VersionDisciplineCheck(1000, Duration.ofHours(1));
        List<CheckResult> r = check.evaluate(context, List.of(update("1", 10, null, 1, "{\"a\":1}", 2),
                update("1", 11, "{\"a\":1}", 2, "{\"a\":2}", 3), update("2", 12, null, 5, "{\"b\":1}", 6)));
        assertThat(failures(r)).isEmpty();
        assertThat(r).extracting(CheckResult::rule).containsExactlyInAnyOrder(VersionDisciplineCheck.RULE_BYPASS,
                VersionDisciplineCheck.RULE_STEP, VersionDisciplineCheck.RULE_LOST, VersionDisciplineCheck.RULE_BYPASS,
                VersionDisciplineCheck.RULE_STEP, VersionDisciplineCheck.RULE_LOST);
        assertThat(r).extracting(CheckResult::subject).extracting(Subject::toString).containsOnly(
                "record:public.pfa_records/1", "record:public.pfa_records/2");
    }

    @Test
    void deltaChangedWithVersionUnchangedBypassesOptimisticLockingNamingTheTransaction() {
        VersionDisciplineCheck check = new VersionDisciplineCheck(1000, Duration.ofHours(1));
        List<CheckResult> r = failures(check.evaluate(context, List.of(update("7", 4242, null, 3, "{\"a\":1}", 3))));
        assertThat(r).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(VersionDisciplineCheck.RULE_BYPASS);
            assertThat(f.finding().severity()).isEqualTo(Severity.HIGH);
            assertThat(f.finding().evidence().get(0).content()).contains("tx 4242", "record 7");
        });
    }

    @Test
    void mirrorOnlyChangeWithSameVersionIsNotABypass() {
        VersionDisciplineCheck check = new VersionDisciplineCheck(1000, Duration.ofHours(1));
        // Not judged at all: an upstream sync neither breaks nor proves the write discipline, so it resolves nothing.
        assertThat(check.evaluate(context, List.of(update("7", 1, "{\"a\":1}", 3, "{\"a\":1}", 3)))).isEmpty();
    }

    @Test
    void versionJumpIsNotPlusOne() {
        VersionDisciplineCheck check = new VersionDisciplineCheck(1000, Duration.ofHours(1));
        assertThat(failures(check.evaluate(context, List.of(update("7", 1, null, 3, "{\"a\":1}", 5)))))
                .extracting(CheckResult::rule).containsExactly(VersionDisciplineCheck.RULE_STEP);
    }

    @Test
    void twoUpdatesFromTheSameVersionAreALostUpdateNamingBothTransactions() {
        VersionDisciplineCheck check = new VersionDisciplineCheck(1000, Duration.ofHours(1));
        check.evaluate(context, List.of(update("9", 100, null, 1, "{\"a\":1}", 2)));
        List<CheckResult> r = failures(check.evaluate(context, List.of(update("9", 101, null, 1, "{\"b\":1}", 2))));
        assertThat(r).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(VersionDisciplineCheck.RULE_LOST);
            assertThat(f.finding().severity()).isEqualTo(Severity.BLOCKER);
            assertThat(f.finding().evidence().get(0).content()).contains("tx 100", "tx 101", "from version 1");
        });
    }

    @Test
    void sequentialUnversionedDeltaWritesAreABypassNotALostUpdate() {
        VersionDisciplineCheck check = new VersionDisciplineCheck(1000, Duration.ofHours(1));
        List<CheckResult> r = failures(check.evaluate(context, List.of(update("9", 100, null, 1, "{\"a\":1}", 1),
                update("9", 101, "{\"a\":1}", 1, "{\"a\":2}", 1))));
        assertThat(r).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(VersionDisciplineCheck.RULE_BYPASS);
            assertThat(f.finding().title()).isEqualTo("Write bypasses optimistic locking on public.pfa_records");
            assertThat(f.finding().subject().name()).isEqualTo("public.pfa_records/9");
            assertThat(f.defect()).as("one defect per rule and table, whichever record")
                    .isEqualTo(new Subject("version-discipline", "public.pfa_records"));
            assertThat(f.finding().evidence().get(0).content()).contains("tx 100", "tx 101");
        });
    }

    @Test
    void aBadWriteToOneRecordIsNotResolvedByCleanWritesToAnother() {
        VersionDisciplineCheck check = new VersionDisciplineCheck(1000, Duration.ofHours(1));
        FindingLifecycle lifecycle = new FindingLifecycle();
        Map<String, Finding> known = new HashMap<>();
        List<Finding> announced = new ArrayList<>();
        java.util.function.Consumer<List<CheckResult>> publish = results -> {
            List<Observation> obs = results.stream().map(r -> r.failed() ? Observation.fail(r.finding())
                    : Observation.pass("lock", r.rule(), context.targetName(), r.subject())).toList();
            FindingLifecycle.Decision d = lifecycle.decide(known, obs, null, T0);
            known.putAll(d.changed());
            announced.addAll(d.announcements());
        };
        publish.accept(check.evaluate(context, List.of(update("A", 1, null, 1, "{\"a\":1}", 1))));
        publish.accept(check.evaluate(context, List.of(update("B", 2, null, 1, "{\"b\":1}", 2))));
        publish.accept(check.evaluate(context, List.of(update("B", 3, "{\"b\":1}", 2, "{\"b\":2}", 3),
                update("B", 4, "{\"b\":2}", 3, "{\"b\":3}", 4))));
        assertThat(announced).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(FindingStatus.OPENED);
            assertThat(f.subject()).isEqualTo(new Subject("record", "public.pfa_records/A"));
        });
        publish.accept(check.evaluate(context, List.of(update("A", 5, "{\"a\":1}", 1, "{\"a\":2}", 2))));
        assertThat(announced).extracting(Finding::status).containsExactly(FindingStatus.OPENED,
                FindingStatus.RESOLVED);
        assertThat(announced.get(1).fingerprint()).isEqualTo(announced.get(0).fingerprint());
    }

    @Test
    void duplicateDeliveryOfOneEventIsNotALostUpdate() {
        VersionDisciplineCheck check = new VersionDisciplineCheck(1000, Duration.ofHours(1));
        ChangeEvent e = update("9", 100, null, 1, "{\"a\":1}", 2);
        assertThat(failures(check.evaluate(context, List.of(e, e)))).isEmpty();
    }

    @Test
    void lockProbeRowsAreLeftToTheActiveProbes() {
        VersionDisciplineCheck check = new VersionDisciplineCheck(1000, Duration.ofHours(1));
        JsonNode probeMirror = json("{\"deltawatch_probe\": {\"pid\": 4711}}");
        ChangeEvent e = ChangeEvent.deltaRow("p1", "pfa_records", "1", ChangeEvent.Operation.UPDATE,
                new RowImage(probeMirror, null, 1L, true), new RowImage(probeMirror, json("{\"a\":1}"), 1L, true),
                new SourcePosition("0/1", 1L, T0), T0);
        assertThat(check.evaluate(context, List.of(e))).isEmpty();
        assertThat(failures(check.evaluate(context, List.of(update("1", 2, null, 1, "{\"a\":1}", 1))))).hasSize(1);
    }

    @Test
    void partialImagesAreSkipped() {
        VersionDisciplineCheck check = new VersionDisciplineCheck(1000, Duration.ofHours(1));
        ChangeEvent e = ChangeEvent.deltaRow("p1", "pfa_records", "1", ChangeEvent.Operation.UPDATE,
                new RowImage(null, null, 1L, false), new RowImage(json("{}"), json("{\"a\":1}"), 1L, true),
                new SourcePosition("0/1", 1L, T0), T0);
        assertThat(check.evaluate(context, List.of(e))).isEmpty();
    }

    @Test
    void stateStaysBoundedByMaxRecords() {
        VersionDisciplineCheck check = new VersionDisciplineCheck(50, Duration.ofHours(1));
        List<ChangeEvent> events = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            events.add(update("r" + i, i, null, 1, "{\"a\":1}", 2));
        }
        check.evaluate(context, events);
        assertThat(check.trackedRecords()).isEqualTo(50);
    }

    @Test
    void updatesOutsideTheWindowAreForgotten() {
        VersionDisciplineCheck check = new VersionDisciplineCheck(1000, Duration.ofSeconds(1));
        check.evaluate(context, List.of(update("9", 100, null, 1, "{\"a\":1}", 2)));
        seq += 10;
        assertThat(failures(check.evaluate(context, List.of(update("9", 101, null, 1, "{\"b\":1}", 2))))).isEmpty();
    }

    private static CheckContext exampleContext(dev.deltawatch.contracts.TargetConfig config) {
        return new CheckContext(new ResolvedTarget(config, "\"public\"", List.of(),
                MergeCall.of(config.merge(), config.merge().function() == null ? null : "\"public\".\"f\""), null,
                ResolvedTarget.InputDomain.unconstrained()), new PGSimpleDataSource(), Clock.fixed(T0, ZoneOffset.UTC),
                null, null, null);
    }

    private ChangeEvent draft(ChangeEvent.Operation op, String sku, String owner, long tx, String deltaBefore,
                              Long vBefore, String deltaAfter, long vAfter) {
        seq++;
        return ChangeEvent.deltaRow("d" + seq, "public.item_drafts", sku, owner, op,
                deltaBefore == null && vBefore == null ? null : new RowImage(null, json(deltaBefore), vBefore, true),
                new RowImage(null, json(deltaAfter), vAfter, true),
                new SourcePosition("0/" + seq, tx, T0.plusSeconds(seq)), T0.plusSeconds(seq));
    }

    private ChangeEvent override(String page, long tx, String deltaBefore, String tokenBefore, String deltaAfter,
                                 String tokenAfter) {
        seq++;
        return ChangeEvent.deltaRow("o" + seq, "public.content_overrides", page, ChangeEvent.Operation.UPDATE,
                new RowImage(null, json(deltaBefore), null, tokenBefore, true),
                new RowImage(null, json(deltaAfter), null, tokenAfter, true),
                new SourcePosition("0/" + seq, tx, T0.plusSeconds(seq)), T0.plusSeconds(seq));
    }

    @Test
    void savesOfTwoOwnersOnOneRecordAreTwoDocumentsNotALostUpdate() {
        CheckContext drafts = exampleContext(ExampleTargets.DRAFTS.config());
        VersionDisciplineCheck check = new VersionDisciplineCheck(1000, Duration.ofHours(1));
        List<CheckResult> r = check.evaluate(drafts, List.of(
                draft(ChangeEvent.Operation.UPDATE, "SKU-1", "u-1", 10, "{\"a\":1}", 3L, "{\"a\":2}", 4),
                draft(ChangeEvent.Operation.UPDATE, "SKU-1", "u-2", 11, "{\"b\":1}", 3L, "{\"b\":2}", 4)));
        assertThat(failures(r)).isEmpty();
        assertThat(r).extracting(CheckResult::subject).extracting(Subject::name).containsOnly(
                "public.catalog_items/SKU-1 / owner u-1", "public.catalog_items/SKU-1 / owner u-2");
        // The same owner saving twice from version 4: that IS a lost update, on that document only.
        List<CheckResult> lost = failures(check.evaluate(drafts, List.of(
                draft(ChangeEvent.Operation.UPDATE, "SKU-1", "u-1", 12, "{\"a\":2}", 4L, "{\"a\":3}", 5),
                draft(ChangeEvent.Operation.UPDATE, "SKU-1", "u-1", 13, "{\"a\":2}", 4L, "{\"a\":4}", 5))));
        assertThat(lost).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(VersionDisciplineCheck.RULE_LOST);
            assertThat(f.subject().name()).isEqualTo("public.catalog_items/SKU-1 / owner u-1");
            assertThat(f.finding().evidence().get(0).content()).contains("record SKU-1 / owner u-1", "tx 12", "tx 13");
        });
    }

    @Test
    void firstDraftInsertCountsAsVersionZeroToOne() {
        CheckContext drafts = exampleContext(ExampleTargets.DRAFTS.config());
        VersionDisciplineCheck check = new VersionDisciplineCheck(1000, Duration.ofHours(1));
        assertThat(failures(check.evaluate(drafts, List.of(
                draft(ChangeEvent.Operation.INSERT, "SKU-2", "u-1", 20, null, null, "{\"a\":1}", 1))))).isEmpty();
        assertThat(failures(check.evaluate(drafts, List.of(
                draft(ChangeEvent.Operation.INSERT, "SKU-3", "u-1", 21, null, null, "{\"a\":1}", 7)))))
                .singleElement().satisfies(f -> {
                    assertThat(f.rule()).isEqualTo(VersionDisciplineCheck.RULE_STEP);
                    assertThat(f.finding().evidence().get(0).content()).contains("version 0 (no delta yet) -> 7");
                });
        // Without firstWriteCreates (the reference target) an INSERT is a new record, not a delta write.
        assertThat(check.evaluate(context, List.of(ChangeEvent.deltaRow("i1", "pfa_records", "5",
                ChangeEvent.Operation.INSERT, null, new RowImage(json("{}"), null, 1L, true),
                new SourcePosition("0/9", 9L, T0), T0)))).isEmpty();
    }

    @Test
    void unversionedDraftWriteIsABypassOnThatDocument() {
        CheckContext drafts = exampleContext(ExampleTargets.DRAFTS.config());
        VersionDisciplineCheck check = new VersionDisciplineCheck(1000, Duration.ofHours(1));
        assertThat(failures(check.evaluate(drafts, List.of(
                draft(ChangeEvent.Operation.UPDATE, "SKU-4", "u-9", 30, "{\"a\":1}", 2L, "{\"a\":9}", 2)))))
                .singleElement().satisfies(f -> {
                    assertThat(f.rule()).isEqualTo(VersionDisciplineCheck.RULE_BYPASS);
                    assertThat(f.subject().name()).isEqualTo("public.catalog_items/SKU-4 / owner u-9");
                });
    }

    @Test
    void probeOwnerDraftsAreLeftToTheActiveProbes() {
        CheckContext drafts = exampleContext(ExampleTargets.DRAFTS.config());
        VersionDisciplineCheck check = new VersionDisciplineCheck(1000, Duration.ofHours(1));
        String probe = ExampleTargets.DRAFTS.config().probes().owner();
        assertThat(check.evaluate(drafts, List.of(draft(ChangeEvent.Operation.UPDATE, "SKU-5", probe, 40,
                "{\"a\":1}", 2L, "{\"a\":9}", 2)))).isEmpty();
        assertThat(check.evaluate(drafts, List.of(draft(ChangeEvent.Operation.UPDATE, "SKU-5", "u-1", 41,
                "{}", 2L, "{\"deltawatch_probe_edit\":1}", 2)))).isEmpty();
    }

    @Test
    void tokenVersionMustChangeWithEveryDeltaChangeAndMayChangeToAnything() {
        CheckContext overrides = exampleContext(ExampleTargets.OVERRIDES.config());
        VersionDisciplineCheck check = new VersionDisciplineCheck(1000, Duration.ofHours(1));
        String page = "4e3677c2-3360-3e57-b935-92b470f233dd";
        assertThat(failures(check.evaluate(overrides, List.of(override(page, 50, "{\"a\":1}",
                "2026-01-01T00:00:01Z", "{\"a\":2}", "2026-01-01T00:00:07Z"))))).isEmpty();
        assertThat(failures(check.evaluate(overrides, List.of(override(page, 51, "{\"a\":2}",
                "2026-01-01T00:00:07Z", "{\"a\":3}", "2026-01-01T00:00:07Z"))))).singleElement().satisfies(f -> {
                    assertThat(f.rule()).isEqualTo(VersionDisciplineCheck.RULE_BYPASS);
                    assertThat(f.subject().name()).isEqualTo("public.content_pages/" + page);
                    assertThat(f.finding().evidence().get(0).content())
                            .contains("version token stayed 2026-01-01T00:00:07Z", "tx 51");
                });
        assertThat(failures(check.evaluate(overrides, List.of(override(page, 52, "{\"a\":2}",
                "2026-01-01T00:00:01Z", "{\"a\":4}", "2026-01-01T00:00:09Z")))))
                .extracting(CheckResult::rule).containsExactly(VersionDisciplineCheck.RULE_LOST);
    }
}
