package dev.deltawatch.worker.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.worker.infra.Infrastructure;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deltawatch bench crash}: the crash scenario of {@link CrashScenario} at full size, as one JSON line. */
@Command(name = "crash", mixinStandardHelpOptions = true,
        description = "kill -9 the worker halfway through a stream of delta updates, restart it, and count: every "
                + "committed version verified, no finding announced twice.")
public final class CrashBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--updates", defaultValue = "100000", description = "Delta updates committed during the run.")
    long updates;

    @Option(names = "--records", defaultValue = "10000", description = "Records seeded and updated in turn.")
    int records;

    @Option(names = "--rate", defaultValue = "5000", description = "Updates per second (0: as fast as possible).")
    int rate;

    @Option(names = "--drain-timeout-s", defaultValue = "600", description = "How long to wait for verification.")
    int drainTimeout;

    @Override
    public Integer call() throws Exception {
        try (Infrastructure infra = Infrastructure.resolve()) {
            String name = "bench_crash_" + ProcessHandle.current().pid();
            CrashScenario.Result r = CrashScenario.run(infra.postgres(), infra.kafka(), name, records, updates, rate,
                    Duration.ofSeconds(drainTimeout));
            ObjectNode out = Contracts.mapper().createObjectNode();
            out.put("bench", "crash");
            out.put("committed_versions", r.committed());
            out.put("captured_versions", r.captured());
            out.put("verified_versions", r.verified());
            out.put("killed_at_versions", r.killedAt());
            out.put("recovery_s", BenchDatabase.round(r.recoverySeconds(), 2));
            out.put("drain_s", BenchDatabase.round(r.drainSeconds(), 2));
            out.put("announcements", r.announcements());
            out.put("opened", r.opened());
            out.put("duplicate_announcements", r.duplicateAnnouncements());
            out.put("sigterm_exit", r.sigtermExit());
            out.putPOJO("unverified_examples", r.unverifiedExamples());
            spec.commandLine().getOut().println(Contracts.mapper().writeValueAsString(out));
            spec.commandLine().getOut().flush();
            return r.verified() == r.committed() && r.duplicateAnnouncements() == 0 ? 0 : 1;
        }
    }
}
