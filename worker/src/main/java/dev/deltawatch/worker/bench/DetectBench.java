package dev.deltawatch.worker.bench;

import dev.deltawatch.worker.infra.Infrastructure;
import dev.deltawatch.worker.runtime.DemoSession;
import dev.deltawatch.worker.runtime.DemoTour;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The demo tour without narration: per injected fault, the commit-to-finding latency; then p50, p95, detected,
 * injected as one JSON line.
 */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = "Injects the tour's faults into a running worker and prints commit->finding latencies as JSON.")
public final class DetectBench implements Callable<Integer> {
    @Option(names = "--rows", defaultValue = "100000", description = "Records to seed (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--rounds", defaultValue = "3", description = "Times the tour is repeated (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--settle-s", defaultValue = "5",
            description = "Pause between faults so the previous revert's checks are done (default: ${DEFAULT-VALUE}).")
    int settleSeconds;

    @Override
    public Integer call() throws Exception {
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        try (Infrastructure infra = Infrastructure.resolve();
             DemoSession session = DemoSession.prepare(infra.postgres(), infra.kafka(), rows, quiet)) {
            session.cleanCheck();
            session.startWorker(0);
            Map<String, Object> out = new LinkedHashMap<>();
            List<Long> latencies = new java.util.ArrayList<>();
            int injected = 0;
            for (int round = 0; round < rounds; round++) {
                for (DemoTour.Outcome o : session.tour(null, Duration.ofSeconds(120), Duration.ofSeconds(settleSeconds)).run()) {
                    injected++;
                    String key = o.fault().family() + "_ms";
                    o.latency().ifPresent(l -> latencies.add(l.toMillis()));
                    @SuppressWarnings("unchecked")
                    List<Long> perFault = (List<Long>) out.computeIfAbsent(key, k -> new java.util.ArrayList<Long>());
                    perFault.add(o.latency().map(Duration::toMillis).orElse(-1L));
                }
            }
            latencies.sort(null);
            out.put("p50_ms", percentile(latencies, 0.50));
            out.put("p95_ms", percentile(latencies, 0.95));
            out.put("detected", latencies.size());
            out.put("injected", injected);
            out.put("rows", rows);
            out.put("settle_s", settleSeconds);
            System.out.println(dev.deltawatch.contracts.Contracts.encodeToString(out));
            return latencies.size() == injected ? 0 : 1;
        }
    }

    private static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
