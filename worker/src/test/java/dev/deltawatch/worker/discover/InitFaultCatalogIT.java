package dev.deltawatch.worker.discover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.config.TargetConfigLoader;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.runtime.FaultInjection;
import dev.deltawatch.worker.target.ExampleTargets;
import dev.deltawatch.worker.target.FaultCatalog;
import dev.deltawatch.worker.target.ReferenceTarget;
import dev.deltawatch.worker.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fault of the drafts and overrides catalogs (those of the families ExampleTargetChecksIT covers) and the
 * reference's plan and hygiene faults, each applied on a copy of the clean target and judged twice: with the hand-written config and with the one init wrote on the clean
 * copy. Init's config must detect each fault the hand-written one detects. The registered queries of init are named by
 * init, and the faults' expectations name the hand-written config's queries: an init query whose statement is the same
 * as a hand-written one (pg_stat_statements' normalized text) takes that name, nothing else is changed. The active
 * lock probes write through init's write path: drafts' is the application's save init took from pg_stat_statements.
 * Prints the counts per target (after all).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InitFaultCatalogIT {
    private static final Set<String> FAMILIES = Set.of("merge", "plan", "hygiene", "lock");
    private static final String PASSIVE = "lock.version-discipline";
    private final InitTargets targets = new InitTargets();
    private final Map<String, TargetConfig> initConfigs = new ConcurrentHashMap<>();
    private final Map<String, int[]> counts = new LinkedHashMap<>();
    private final List<String> handMissed = new ArrayList<>();

    /**
     * drafts and overrides: every fault the one-shot families see. The reference: its plan and hygiene faults, whose
     * checks read the registered queries, the one part of init's config that is not the hand-written one
     * (InitCommandIT asserts documents, merge and write equal): elsewhere the checks get the same input, and the
     * reference catalog's 47 faults judged twice would add minutes to every CI run. Init's parameters are whatever
     * the first rows hold; the plan faults that only a heavy value shows (HOLNG's share of the records, the day a
     * bulk update moved 10% of them to) are seen through the set each audit draws ({@code drawFrom}).
     */
    Stream<Arguments> faults() {
        Stream<Arguments> shapes = Stream.of("drafts", "overrides").flatMap(name -> ExampleTargets.named(name).faults()
                .faults().stream().filter(f -> f.expectations().stream().anyMatch(e -> Set.of("merge", "plan",
                        "hygiene").contains(e.family()) || e.check().equals(PASSIVE)))
                .map(f -> Arguments.of(name, f)));
        Stream<Arguments> reference = FaultCatalog.load(ReferenceTarget.FAULT_CATALOG).faults().stream()
                .filter(f -> Set.of("plan", "hygiene").contains(f.family())).map(f -> Arguments.of("reference", f));
        return Stream.concat(shapes, reference);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("faults")
    void initConfigDetectsWhatTheHandWrittenOneDetects(String name, FaultCatalog.Fault fault) throws Exception {
        TargetConfig init = initConfig(name);
        FaultInjection.Detection hand = FaultInjection.run(targets.seeded(name), ExampleTargets.named(name).config(),
                fault, FAMILIES);
        FaultInjection.Detection found = FaultInjection.run(targets.seeded(name), init, fault, FAMILIES);
        synchronized (counts) {
            int[] c = counts.computeIfAbsent(name, n -> new int[3]);
            c[0]++;
            c[1] += hand.detected() ? 1 : 0;
            c[2] += found.detected() ? 1 : 0;
            if (!hand.detected()) {
                handMissed.add(name + ": " + fault.resource() + " (missed " + hand.missed() + ")");
            }
        }
        if (hand.detected()) {
            assertThat(found.missed()).as("%s with the init config; findings: %s", fault.resource(),
                    found.runs().stream().flatMap(r -> r.findings().stream()).map(f -> f.rule() + " @ " + f.subject())
                            .distinct().limit(10).toList()).isEmpty();
        }
    }

    @AfterAll
    void report() {
        counts.forEach((name, c) -> System.out.printf("init fault catalog %s: %d faults, hand-written config detects "
                + "%d, init config detects %d%n", name, c[0], c[1], c[2]));
        handMissed.forEach(m -> System.out.println("init fault catalog, not detected with the hand-written config "
                + "either: " + m));
    }

    private synchronized TargetConfig initConfig(String name) throws Exception {
        TargetConfig config = initConfigs.get(name);
        if (config == null) {
            PostgresAddress db = targets.withWorkload(name);
            Path file = Files.createTempFile("init-" + name, ".yaml");
            CliRun run = InitTargets.init(db, file, "--force");
            assertThat(run.code()).as(run.err()).isZero();
            config = namedAsHandWritten(TargetConfigLoader.fromFile(file), ExampleTargets.named(name).config());
            initConfigs.put(name, config);
        }
        return config;
    }

    private static TargetConfig namedAsHandWritten(TargetConfig init, TargetConfig hand) {
        List<TargetConfig.RegisteredQuery> renamed = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (TargetConfig.RegisteredQuery q : init.queries()) {
            String name = hand.queries().stream().filter(h -> normalized(h.sql()).equals(normalized(q.sql())))
                    .map(TargetConfig.RegisteredQuery::name).filter(used::add).findFirst().orElse(q.name());
            renamed.add(new TargetConfig.RegisteredQuery(name, q.sql(), q.params(), q.budgetMs(), q.kind(),
                    q.drawFrom()));
        }
        return new TargetConfig(init.schemaVersion(), init.name(), init.schema(), init.documents(), init.merge(),
                init.write(), renamed, init.probes());
    }

    /** Constants and parameters alike as ?, whitespace collapsed: pg_stat_statements' view of a statement. */
    private static String normalized(String sql) {
        return sql.replaceAll("\\$\\d+(::\\w+)?", "?").replaceAll("'[^']*'(::\\w+)?", "?")
                .replaceAll("\\b\\d+\\b", "?").replaceAll("::\\w+", "").replaceAll("\\s+", " ").strip()
                .toLowerCase(java.util.Locale.ROOT);
    }
}
