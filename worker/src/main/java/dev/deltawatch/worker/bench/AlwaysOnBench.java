package dev.deltawatch.worker.bench;

import dev.deltawatch.worker.infra.Infrastructure;
import dev.deltawatch.worker.infra.KafkaAddress;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.runtime.DemoTour;
import dev.deltawatch.worker.target.ReferenceTarget;
import dev.deltawatch.worker.target.load.PacedWorkload;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code deltawatch bench always-on}: what watching costs the database it watches, and whether the watcher still
 * sees everything in time. A steady workload (edits through the write path, reads of the registered queries) runs
 * on the seeded reference target through alternating rounds without and with {@code deltawatch run} (a child JVM
 * with the Dockerfile's heap settings, all families), the demo's faults injected at drawn moments of the "with"
 * rounds. Prints one JSON line; see README, "bench always-on", for each field.
 */
@Command(name = "always-on", mixinStandardHelpOptions = true,
        description = "PostgreSQL CPU and workload latency without/with a running worker, detection under load, "
                + "worker memory/CPU and lag; one JSON line.")
public final class AlwaysOnBench implements Callable<Integer> {
    /**
     * The Dockerfile's heap flag in the memory limit of deploy/k8s, as the JVM in that container sizes itself: a JVM
     * outside a container sees the host's memory, and with under 1792 MB it picks the serial collector (a "server
     * class machine" needs more), which on this host it would not.
     */
    static final String DOCKERFILE_JVM = "-XX:MaxRAMPercentage=50 -XX:MaxRAM=640m -XX:+UseSerialGC";
    /**
     * How long the worker's reaction to a revert lasts at most at 1M rows (the records changed since a clean pass
     * verified again, the plan audits of a re-created index, the lock probes of a restored write path: each a few
     * seconds in the worker logs): the steady-state split starts this long after the last revert.
     */
    static final Duration QUIET_AFTER_REVERT = Duration.ofSeconds(15);

    @Spec
    CommandSpec spec;

    @Option(names = "--rows", defaultValue = "1000000", description = "Records to seed (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--edits-per-s", defaultValue = "500", description = "Edits per second (default: ${DEFAULT-VALUE}).")
    int editsPerS;

    @Option(names = "--reads-per-s", defaultValue = "20",
            description = "Registered read queries per second (default: ${DEFAULT-VALUE}).")
    int readsPerS;

    @Option(names = "--duration", defaultValue = "30s", converter = Durations.class,
            description = "Length of each round, e.g. 30s, 2m (default: ${DEFAULT-VALUE}; the issue's figure is 120s).")
    Duration duration;

    @Option(names = "--rounds", defaultValue = "2",
            description = "Pairs of rounds (without, with) (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--faults-per-round", defaultValue = "3",
            description = "Faults drawn per \"with\" round (default: ${DEFAULT-VALUE}).")
    int faultsPerRound;

    @Option(names = "--detect-timeout", defaultValue = "30s", converter = Durations.class,
            description = "Wait for a fault's finding before reverting it anyway (default: ${DEFAULT-VALUE}).")
    Duration detectTimeout;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the draws (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--reuse-seed", description = "Keep the seeded records in a template database on the server and "
            + "copy it on later runs (useful with a server of your own, e.g. `deltawatch infra up`).")
    boolean reuseSeed;

    @Option(names = "--worker-jvm", defaultValue = DOCKERFILE_JVM,
            description = "JVM options of the worker process (default: ${DEFAULT-VALUE}).")
    String workerJvm;

    @Option(names = "--warmup-max", defaultValue = "10m", converter = Durations.class,
            description = "Longest wait for a started worker's start-up pass (default: ${DEFAULT-VALUE}).")
    Duration warmupMax;

    @Override
    public Integer call() throws Exception {
        try (Infrastructure infra = Infrastructure.resolve()) {
            Map<String, Object> out = measure(infra.postgres(), infra.kafka(), settings(), System.err);
            spec.commandLine().getOut().println(BenchDatabase.jsonLine(out));
            spec.commandLine().getOut().flush();
            return (long) out.get("detected") == (long) out.get("injected") ? 0 : 1;
        }
    }

    /** The options of one run. */
    record Settings(long rows, int editsPerS, int readsPerS, Duration duration, int rounds, int faultsPerRound,
                    Duration detectTimeout, long seed, boolean reuseSeed, List<String> workerJvm, Duration warmupMax) {}

    Settings settings() {
        return new Settings(rows, editsPerS, readsPerS, duration, rounds, faultsPerRound, detectTimeout, seed,
                reuseSeed, Arrays.asList(workerJvm.trim().split("\\s+")), warmupMax);
    }

    /** Runs the benchmark on {@code server} and {@code kafka}; progress goes to {@code log}. */
    static Map<String, Object> measure(PostgresAddress server, KafkaAddress kafka, Settings s, PrintStream log)
            throws Exception {
        AlwaysOnFigures figures = new AlwaysOnFigures(s);
        figures.loadAverage("load_avg_1m_start");
        try (AlwaysOnStage stage = AlwaysOnStage.create(server, kafka, s.rows(), s.reuseSeed(), log);
             ChangesLagMonitor lag = new ChangesLagMonitor(kafka, stage.changesTopic(), stage.group());
             PacedWorkload workload = PacedWorkload.start(stage.database(), ReferenceTarget.config(), s.editsPerS(),
                     s.readsPerS(), 8, s.seed());
             PostgresCpuByClient byClient = new PostgresCpuByClient(stage.pool(), PacedWorkload.APPLICATION_NAME)) {
            Random draws = new Random(s.seed());
            say(log, "workload running: %d edits/s, %d reads/s; warming up 5 s", s.editsPerS(), s.readsPerS());
            Thread.sleep(5_000);
            for (int round = 1; round <= s.rounds(); round++) {
                say(log, "round %d/%d without deltawatch (%d s)", round, s.rounds(), s.duration().toSeconds());
                workload.window();
                long cpu0 = PostgresCpu.serverNanos(stage.pool());
                Map<PostgresCpuByClient.Client, Double> split0 = byClient.seconds().all();
                sleepWithProgress(log, s.duration(), workload, null);
                long cpu = PostgresCpu.serverNanos(stage.pool()) - cpu0;
                Map<String, Double> split = difference(byClient.seconds().all(), split0);
                PacedWorkload.Window w = workload.window();
                figures.without(cpu, split, w);
                say(log, "round %d/%d without: PostgreSQL CPU by client %s", round, s.rounds(), split);
                say(log, "round %d/%d without: PostgreSQL %.1f CPU s, workload p95 %.1f ms (%d operations)", round,
                        s.rounds(), cpu / 1e9, p95Ms(w), w.all().getTotalCount());
                withRound(stage, kafka, lag, workload, byClient, s, draws, figures, round, log);
            }
        }
        figures.loadAverage("load_avg_1m_end");
        return figures.json();
    }

    private static void withRound(AlwaysOnStage stage, KafkaAddress kafka, ChangesLagMonitor lag,
                                  PacedWorkload workload, PostgresCpuByClient byClient, Settings s, Random draws,
                                  AlwaysOnFigures figures, int round, PrintStream log) throws Exception {
        long startedMs = System.currentTimeMillis();
        try (WorkerProcess worker = stage.startWorker(s.workerJvm(), round);
             ProcessSampler sampler = new ProcessSampler(worker.pid())) {
            if (!worker.awaitReady(Duration.ofMinutes(3))) {
                throw new IllegalStateException("the worker did not get ready; log:\n" + worker.logTail(40));
            }
            say(log, "round %d/%d: worker pid %d ready; waiting for its start-up pass", round, s.rounds(), worker.pid());
            double warm = StartupPassWatch.await(kafka, stage.group() + ".check-runs", startedMs,
                    Duration.ofSeconds(15), s.warmupMax());
            // Then the changes committed while no worker ran (the round before) are worked off: the round
            // measures a worker keeping up, not one draining a backlog it would not have had.
            long t0 = System.nanoTime();
            boolean caughtUp = lag.awaitCaughtUp(Math.max(100, s.editsPerS()), s.warmupMax());
            double catchUp = (System.nanoTime() - t0) / 1e9;
            figures.warmup(warm, catchUp, caughtUp);
            say(log, "round %d/%d with deltawatch (%d s; start-up pass took %.0f s, catching up %.0f s%s)", round,
                    s.rounds(), s.duration().toSeconds(), warm, catchUp, caughtUp ? "" : ", NOT caught up");
            Draw draw = draw(s, draws);
            List<DemoTour.Fault> faults = draw.faults();
            List<Long> moments = draw.momentsMs();
            try (FaultDrill drill = new FaultDrill(stage.pool(), kafka, stage.findingsTopic(), s.detectTimeout(), log)) {
                workload.setDisturbance(drill::active);
                byClient.setQuiet(() -> drill.settled(QUIET_AFTER_REVERT));
                workload.window();
                lag.window();
                double from = sampler.now();
                long cpu0 = PostgresCpu.serverNanos(stage.pool());
                PostgresCpuByClient.Reading split0 = byClient.seconds();
                long start = System.nanoTime();
                List<FaultDrill.Outcome> outcomes = new ArrayList<>();
                Thread injector = new Thread(() -> {
                    try {
                        outcomes.addAll(drill.run(faults, moments, start, start + s.duration().toNanos()));
                    } catch (Exception e) {
                        say(log, "fault drill failed: %s", e.getMessage());
                    }
                }, "bench-fault-drill");
                injector.start();
                sleepWithProgress(log, s.duration(), workload, sampler);
                long cpu = PostgresCpu.serverNanos(stage.pool()) - cpu0;
                PostgresCpuByClient.Reading split1 = byClient.seconds();
                byClient.setQuiet(() -> false);
                Map<String, Double> split = difference(split1.all(), split0.all());
                Map<String, Double> quiet = difference(split1.quiet(), split0.quiet());
                double quietS = split1.quietS() - split0.quietS();
                double to = sampler.now();
                PacedWorkload.Window w = workload.window();
                injector.join(); // a fault still open finishes (found or timed out) before the worker stops
                workload.setDisturbance(() -> false);
                ChangesLagMonitor.Window l = lag.window();
                List<ProcessSampler.Sample> samples = sampler.between(from, to);
                figures.with(cpu, split, w, l, samples, outcomes);
                figures.quiet(quiet, quietS);
                say(log, "round %d/%d with: PostgreSQL CPU by client %s", round, s.rounds(), split);
                say(log, "round %d/%d with: of it in the %.0f s with no fault in the target nor reverted in the last "
                        + "%d s: %s", round, s.rounds(), quietS, QUIET_AFTER_REVERT.toSeconds(), quiet);
                say(log, "round %d/%d with: PostgreSQL %.1f CPU s, workload p95 %.1f ms (%d operations), worker rss max "
                        + "%.0f MB, changes lag max %.1f s / %d records, %d of %d faults found", round, s.rounds(),
                        cpu / 1e9, p95Ms(w), w.all().getTotalCount(), samples.stream()
                        .mapToDouble(ProcessSampler.Sample::rssMb).max().orElse(0), l.lagMaxS(), l.lagMaxRecords(),
                        outcomes.stream().filter(FaultDrill.Outcome::detected).count(), outcomes.size());
            }
            int code = worker.terminate(Duration.ofSeconds(20));
            if (code != 0) {
                say(log, "worker exited with %d; log tail:\n%s", code, worker.logTail(20));
            }
        }
    }

    /** The faults of one "with" round and their moments (ms into the round, sorted). */
    private record Draw(List<DemoTour.Fault> faults, List<Long> momentsMs) {}

    private static Draw draw(Settings s, Random draws) {
        List<DemoTour.Fault> faults = new ArrayList<>();
        List<Long> moments = new ArrayList<>();
        List<DemoTour.Fault> deck = new ArrayList<>(DemoTour.TOUR);
        for (int i = 0; i < s.faultsPerRound(); i++) {
            // Drawn from a shuffled deck of the tour's faults, so every family comes up as often.
            if (i % deck.size() == 0) {
                java.util.Collections.shuffle(deck, draws);
            }
            faults.add(deck.get(i % deck.size()));
            // Over the first 80% of the round, so a fault has time to be found inside it.
            moments.add((long) (draws.nextDouble() * s.duration().toMillis() * 0.8));
        }
        moments.sort(null);
        return new Draw(faults, moments);
    }

    private static void sleepWithProgress(PrintStream log, Duration d, PacedWorkload workload, ProcessSampler sampler)
            throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(Math.max(1, Math.min(10_000, (end - System.nanoTime()) / 1_000_000)));
            ProcessSampler.Sample now = sampler == null ? null : sampler.sample();
            say(log, "  %3.0f s left%s", Math.max(0, (end - System.nanoTime()) / 1e9),
                    now == null ? "" : String.format(" worker rss %.0f MB, cpu %.1f s", now.rssMb(), now.cpuS()));
        }
    }

    /** CPU seconds per client between two readings, by lower-case name ({@code checks}, {@code capture}, ...). */
    private static Map<String, Double> difference(Map<PostgresCpuByClient.Client, Double> to,
                                                  Map<PostgresCpuByClient.Client, Double> from) {
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        to.forEach((c, v) -> out.put(c.name().toLowerCase(java.util.Locale.ROOT),
                BenchDatabase.round(v - from.getOrDefault(c, 0.0), 2)));
        return out;
    }

    private static double p95Ms(PacedWorkload.Window w) {
        return w.all().getTotalCount() == 0 ? 0 : w.all().getValueAtPercentile(95) / 1e3;
    }

    static void say(PrintStream log, String format, Object... args) {
        if (log != null) {
            log.println("bench always-on: " + String.format(format, args));
            log.flush();
        }
    }
}
