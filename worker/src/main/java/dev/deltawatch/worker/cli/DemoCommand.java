package dev.deltawatch.worker.cli;

import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.infra.Infrastructure;
import dev.deltawatch.worker.infra.KafkaAddress;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.publish.report.CheckReport;
import dev.deltawatch.worker.runtime.CatalogTour;
import dev.deltawatch.worker.runtime.DemoSession;
import dev.deltawatch.worker.runtime.FaultInjection;
import dev.deltawatch.worker.runtime.DemoTour;
import dev.deltawatch.worker.target.ExampleTarget;
import dev.deltawatch.worker.target.ExampleTargets;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Embedded PostgreSQL + Kafka, an example target seeded, the worker running; then (reference "
                + "target) a tour that injects one regression per family (merge, plan, lock), shows each finding as it "
                + "arrives with its detection latency, reverts it and shows the RESOLVED message.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--target", defaultValue = ExampleTargets.DEFAULT,
            description = "Example target to install, seed and watch (see `target list`; default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--rows", defaultValue = "100000", description = "Records to seed (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--once", description = "Run the tour and exit: 0 only if every injected fault was detected and "
            + "the clean target raised no BLOCKER or HIGH finding.")
    boolean once;

    @Option(names = "--metrics-port", defaultValue = "0", description = "Port of /metrics and /health (0: a free one).")
    int metricsPort;

    @Option(names = "--timeout-s", defaultValue = "120", description = "How long to wait for each finding.")
    int timeoutSeconds;

    @Option(names = "--jdbc-url", description = "Use this PostgreSQL server (a new database is created on it) "
            + "instead of resolving one (environment, Testcontainers, embedded).")
    String jdbcUrl;

    @Option(names = "--kafka-bootstrap", description = "Use this Kafka cluster instead of resolving one.")
    String bootstrap;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        ExampleTarget example = ExampleTargets.named(target);
        Infrastructure infra = jdbcUrl != null && bootstrap != null ? null : Infrastructure.resolve();
        PostgresAddress server = infra == null ? new PostgresAddress(jdbcUrl, "postgres", "") : infra.postgres();
        KafkaAddress kafka = infra == null ? new KafkaAddress(bootstrap) : infra.kafka();
        try (DemoSession session = DemoSession.prepare(server, kafka, example, rows, out)) {
            out.println("checking the clean target once (merge, plan, lock)...");
            CheckReport clean = session.cleanCheck();
            long severe = clean.count(Severity.BLOCKER) + clean.count(Severity.HIGH);
            out.println("clean target: " + clean.count(Severity.BLOCKER) + " BLOCKER, " + clean.count(Severity.HIGH)
                    + " HIGH, " + clean.count(Severity.MEDIUM) + " MEDIUM, " + clean.count(Severity.LOW) + " LOW");
            clean.findings().stream().filter(f -> f.severity().failsPipeline())
                    .forEach(f -> out.println("  unexpected: " + f.severity() + " " + f.title()));
            if (!(once && !session.hasTour())) { // the catalog tour of --once judges faults without the worker
                session.startWorker(metricsPort);
                out.println("worker running: metrics http://127.0.0.1:" + session.metricsPort() + "/metrics, findings "
                        + "on " + session.findingsTopic() + " (deltawatch findings tail --topic "
                        + session.findingsTopic() + ")");
            }
            if (!session.hasTour()) {
                // No live tour for this target: its fault catalog is injected fault by fault instead, each in a
                // database of its own, and judged by the checks its header names.
                out.println("\ntour of the " + example.name() + " fault catalog (" + example.faults().faults().size()
                        + " faults), each injected into its own copy of the target:");
                List<FaultInjection.Detection> detections = new CatalogTour(server, example, rows, out).run();
                long detected = detections.stream().filter(FaultInjection.Detection::detected).count();
                out.println("\n" + detected + " of " + detections.size() + " injected faults detected; clean target "
                        + "raised " + severe + " BLOCKER/HIGH finding(s)");
                if (once) {
                    return detected == detections.size() && severe == 0 ? 0 : 1;
                }
                return awaitStop(session, out);
            }
            List<DemoTour.Outcome> outcomes = session.tour(out, Duration.ofSeconds(timeoutSeconds), Duration.ZERO).run();
            long detected = outcomes.stream().filter(DemoTour.Outcome::detected).count();
            out.println("\n" + detected + " of " + outcomes.size() + " injected faults detected; clean target raised "
                    + severe + " BLOCKER/HIGH finding(s)");
            if (once) {
                return detected == outcomes.size() && severe == 0 ? 0 : 1;
            }
            return awaitStop(session, out);
        } finally {
            if (infra != null) {
                infra.close();
            }
        }
    }

    private static int awaitStop(DemoSession session, PrintStream out) throws InterruptedException {
        out.println("The worker keeps running against " + session.database() + ". Ctrl-C stops it.");
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "deltawatch-demo-stop"));
        stop.await();
        return 0;
    }
}
