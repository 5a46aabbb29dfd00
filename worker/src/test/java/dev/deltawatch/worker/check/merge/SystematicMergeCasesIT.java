package dev.deltawatch.worker.check.merge;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Evidence;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The systematic kind × kind cases on their own, without the adversarial or the seeded random cases: the clean
 * reference merge function passes every one, and each fault of faults/merge that changes the merge function's
 * result is caught. (06 changes a generated column's expression and 07 the function's volatility, not what it
 * returns: other checks exist for those.)
 */
class SystematicMergeCasesIT {

    @Test
    void cleanMergeFunctionPassesEverySystematicCase() throws Exception {
        try (HikariDataSource ds = MergeFaultsIT.target("merge_systematic_clean", null)) {
            long t0 = System.nanoTime();
            List<CheckResult> results = systematic(TestInfrastructure.referenceContext(ds));
            System.out.println("systematic merge cases alone: " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            assertThat(results).extracting(CheckResult::rule)
                    .containsExactlyInAnyOrder(SystematicMergeCases.RULE_MISMATCH, SystematicMergeCases.RULE_ERROR);
            assertThat(results).filteredOn(CheckResult::failed).extracting(r -> r.finding().problem()).isEmpty();
            // Every kind against every kind at every depth, and the whole battery still in one read-only pass.
            assertThat(SystematicMergeCases.all()).hasSize(SystematicMergeCases.KINDS.size()
                    * SystematicMergeCases.KINDS.size() * (SystematicMergeCases.MAX_DEPTH + 1));
            t0 = System.nanoTime();
            List<CheckResult> battery = new MergeBatteryCheck().run(TestInfrastructure.referenceContext(ds),
                    CheckScope.objects(List.of("pfa_merge")));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("merge.battery with systematic cases: " + ms + " ms");
            assertThat(battery).filteredOn(CheckResult::failed).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "01_shallow_merge.sql          | at depth 2",
            "02_delta_null_deletes.sql     | × delta null at depth 1",
            "03_arrays_appended.sql        | mirror array × delta array at depth 1",
            "04_string_zero_coerced.sql    | × delta string-0 at depth 1",
            "05_null_delta_yields_null.sql  | × delta absent at depth 0"})
    void eachMergeFunctionFaultIsCaughtBySystematicCasesAlone(String fault, String failingCase) throws Exception {
        try (HikariDataSource ds = MergeFaultsIT.target("merge_systematic_fault", fault)) {
            List<CheckResult> results = systematic(TestInfrastructure.referenceContext(ds));
            List<Finding> found = MergeFaultsIT.failures(results);
            assertThat(found).as("findings").extracting(Finding::rule).contains(SystematicMergeCases.RULE_MISMATCH);
            Finding f = found.stream().filter(x -> x.rule().equals(SystematicMergeCases.RULE_MISMATCH)).findFirst()
                    .orElseThrow();
            assertThat(f.severity()).isEqualTo(Severity.BLOCKER);
            assertThat(f.subject().name()).endsWith("#" + SystematicMergeCases.PART);
            assertThat(f.title()).containsPattern("on \\d+ of \\d+ systematic merge cases");
            assertThat(evidence(f, "failing cases")).contains(failingCase);
            assertThat(f.reproductionSql()).startsWith("SELECT \"public\".\"pfa_merge\"(");
        }
    }

    /**
     * In the whole battery the systematic and random cases are a second net: on a fault the fixed cases already
     * report (a NULL in the delta deletes the key), their findings are MEDIUM and linked to the fixed cases' finding
     * by fingerprint, so the broken function pages once.
     */
    @Test
    void aDefectTheFixedCasesReportIsNotPagedAgainBySystematicOrRandomCases() throws Exception {
        try (HikariDataSource ds = MergeFaultsIT.target("merge_systematic_second_net", "02_delta_null_deletes.sql")) {
            CheckContext context = TestInfrastructure.referenceContext(ds);
            List<CheckResult> battery = new MergeBatteryCheck().run(context, CheckScope.objects(List.of("pfa_merge")));
            List<String> fixed = battery.stream().filter(r -> r.failed()
                    && r.rule().equals(MergeBatteryCheck.RULE_MISMATCH))
                    .map(r -> dev.deltawatch.worker.findings.Fingerprint.of("merge", r.rule(), context.targetName(),
                            r.defect())).distinct().toList();
            assertThat(fixed).as("the fixed cases' defects").isNotEmpty();
            List<Finding> secondNet = MergeFaultsIT.failures(battery).stream()
                    .filter(f -> !f.rule().equals(MergeBatteryCheck.RULE_MISMATCH)
                            && !f.rule().equals(MergeBatteryCheck.RULE_NUL)).toList();
            assertThat(secondNet).extracting(Finding::rule).contains(SystematicMergeCases.RULE_MISMATCH,
                    GeneratedMergeCases.RULE_MISMATCH);
            for (Finding f : secondNet) {
                assertThat(f.severity()).as(f.rule()).isEqualTo(Severity.MEDIUM);
                assertThat(f.problem()).as(f.rule()).contains("already report this function breaking the contract");
                assertThat(evidence(f, MergeVerdicts.FOLLOWS_FROM).lines().toList()).as(f.rule())
                        .isNotEmpty().allSatisfy(fp -> assertThat(fixed).contains(fp));
            }
        }
    }

    private static List<CheckResult> systematic(CheckContext context) throws Exception {
        MergeOracle oracle = new MergeOracle(context.target().config().merge().contract());
        MergeFunctionProbe probe = new MergeFunctionProbe(context.target().merge());
        try (Connection c = context.connect(true)) {
            try {
                return new SystematicMergeCases(new MergeBatteryCheck(), context, probe, oracle,
                        FixedCaseDefects.of(context, List.of())).run(c);
            } finally {
                c.rollback();
            }
        }
    }

    private static String evidence(Finding f, String label) {
        return f.evidence().stream().filter(e -> e.label().equals(label)).map(Evidence::content).findFirst()
                .orElseThrow(() -> new AssertionError("no evidence " + label + " in " + f.evidence()));
    }
}
