package dev.deltawatch.worker.bench;

import dev.deltawatch.worker.target.load.PacedWorkload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The figures of {@code bench always-on}, collected round by round and rendered as its JSON line. CPU figures are
 * per round (the mean of the rounds of each kind); latencies are over all rounds of a kind.
 */
final class AlwaysOnFigures {
    private final AlwaysOnBench.Settings settings;
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private final List<Double> cpuWithout = new ArrayList<>();
    private final List<Double> cpuWith = new ArrayList<>();
    private final List<Map<String, Double>> byClientWithout = new ArrayList<>();
    private final List<Map<String, Double>> byClientWith = new ArrayList<>();
    private final Histogram allWithout = new Histogram(3);
    private final Histogram allWith = new Histogram(3);
    private final Histogram editsWithout = new Histogram(3);
    private final Histogram editsWith = new Histogram(3);
    private final Histogram readsWithout = new Histogram(3);
    private final Histogram readsWith = new Histogram(3);
    private final List<Long> latencies = new ArrayList<>();
    private final List<Double> warmups = new ArrayList<>();
    private final List<Double> catchUps = new ArrayList<>();
    private int notCaughtUp;
    private long failures;
    private long disturbed;
    private final List<Map<String, Double>> byClientQuiet = new ArrayList<>();
    private final List<Double> quietSeconds = new ArrayList<>();
    private long injected;
    private long backToBack;
    private double lagMaxS;
    private long lagMaxRecords;
    private double workerCpuS;
    private double rssMax;
    private List<ProcessSampler.Sample> lastRound = List.of();

    AlwaysOnFigures(AlwaysOnBench.Settings settings) {
        this.settings = settings;
    }

    void without(long pgCpuNanos, Map<String, Double> byClient, PacedWorkload.Window w) {
        cpuWithout.add(pgCpuNanos / 1e9);
        byClientWithout.add(byClient);
        allWithout.add(w.all());
        editsWithout.add(w.edits());
        readsWithout.add(w.reads());
        failures += w.failures();
    }

    void with(long pgCpuNanos, Map<String, Double> byClient, PacedWorkload.Window w, ChangesLagMonitor.Window lag,
              List<ProcessSampler.Sample> samples, List<FaultDrill.Outcome> outcomes) {
        cpuWith.add(pgCpuNanos / 1e9);
        byClientWith.add(byClient);
        allWith.add(w.all());
        editsWith.add(w.edits());
        readsWith.add(w.reads());
        failures += w.failures();
        disturbed += w.disturbed();
        lagMaxS = Math.max(lagMaxS, lag.lagMaxS());
        lagMaxRecords = Math.max(lagMaxRecords, lag.lagMaxRecords());
        if (samples.size() >= 2) {
            workerCpuS += samples.get(samples.size() - 1).cpuS() - samples.get(0).cpuS();
        }
        samples.forEach(s -> rssMax = Math.max(rssMax, s.rssMb()));
        lastRound = samples;
        for (FaultDrill.Outcome o : outcomes) {
            injected++;
            backToBack += o.backToBack() ? 1 : 0;
            if (o.detected()) {
                latencies.add(o.latencyMs());
            }
        }
    }

    /** The part of a "with" round's split in its quiet seconds: no fault in the target, none reverted just before. */
    void quiet(Map<String, Double> byClient, double quietS) {
        byClientQuiet.add(byClient);
        quietSeconds.add(quietS);
    }

    void warmup(double startupPassS, double catchUpS, boolean caughtUp) {
        warmups.add(round(startupPassS, 1));
        catchUps.add(round(catchUpS, 1));
        notCaughtUp += caughtUp ? 0 : 1;
    }

    void loadAverage(String key) {
        try {
            extra.put(key, Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]));
        } catch (IOException | RuntimeException e) {
            extra.put(key, -1.0);
        }
    }

    Map<String, Object> json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bench", "always-on");
        out.put("rows", settings.rows());
        out.put("edits_per_s", settings.editsPerS());
        out.put("reads_per_s", settings.readsPerS());
        out.put("duration_s", settings.duration().toSeconds());
        out.put("rounds", settings.rounds());
        double without = mean(cpuWithout);
        double with = mean(cpuWith);
        out.put("pg_cpu_s_workload", round(without, 2));
        out.put("pg_cpu_s_with_deltawatch", round(with, 2));
        out.put("pg_overhead_ratio", without > 0 ? round((with - without) / without, 3) : -1.0);
        out.put("pg_cpu_s_rounds", Map.of("without", cpuWithout.stream().map(v -> round(v, 2)).toList(),
                "with", cpuWith.stream().map(v -> round(v, 2)).toList()));
        // What deltawatch's own server processes used, against the server's CPU without it: the same share, read
        // from the processes instead of the difference of two rounds (which a fault's own DDL also moves).
        double attributed = meanOf(byClientWith, "checks") + meanOf(byClientWith, "capture");
        out.put("pg_overhead_ratio_attributed", without > 0 && !byClientWith.get(0).isEmpty()
                ? round(attributed / without, 3) : -1.0);
        out.put("pg_cpu_s_by_client", Map.of("without", byClientWithout, "with", byClientWith));
        // The same share in the steady state: what watching costs while nothing is wrong, against the "without"
        // rounds' server CPU for as many seconds.
        double quietS = quietSeconds.stream().mapToDouble(Double::doubleValue).sum();
        double quietAttributed = byClientQuiet.stream()
                .mapToDouble(m -> m.getOrDefault("checks", 0.0) + m.getOrDefault("capture", 0.0)).sum();
        double withoutPerS = without / (settings.duration().toNanos() / 1e9);
        out.put("quiet_s", round(quietS, 1));
        out.put("pg_overhead_ratio_quiet", quietS > 0 && withoutPerS > 0 && !byClientQuiet.get(0).isEmpty()
                ? round(quietAttributed / (withoutPerS * quietS), 3) : -1.0);
        out.put("pg_cpu_s_by_client_quiet", byClientQuiet);
        double p95Without = p95(allWithout);
        double p95With = p95(allWith);
        out.put("workload_p95_ms_without", round(p95Without, 2));
        out.put("workload_p95_ms_with", round(p95With, 2));
        out.put("workload_p95_ratio", p95Without > 0 ? round(p95With / p95Without, 3) : -1.0);
        out.put("edit_p95_ms", Map.of("without", round(p95(editsWithout), 2), "with", round(p95(editsWith), 2)));
        out.put("read_p95_ms", Map.of("without", round(p95(readsWithout), 2), "with", round(p95(readsWith), 2)));
        out.put("workload_ops", Map.of("without", allWithout.getTotalCount(), "with", allWith.getTotalCount(),
                "during_faults", disturbed));
        out.put("workload_failures", failures);
        latencies.sort(null);
        out.put("detect_p50_ms", percentile(latencies, 0.50));
        out.put("detect_p95_ms", percentile(latencies, 0.95));
        out.put("detected", (long) latencies.size());
        out.put("injected", injected);
        out.put("back_to_back", backToBack);
        out.put("worker_rss_mb_max", round(rssMax, 1));
        out.put("worker_rss_mb_first_min", round(maxRss(lastRound, true), 1));
        out.put("worker_rss_mb_last_min", round(maxRss(lastRound, false), 1));
        out.put("worker_cpu_s", round(workerCpuS, 2));
        out.put("worker_startup_pass_s", warmups);
        out.put("worker_catch_up_s", catchUps);
        out.put("rounds_not_caught_up", notCaughtUp);
        out.put("changes_lag_max_s", round(lagMaxS, 2));
        out.put("validate_lag_max_records", lagMaxRecords);
        out.put("worker_jvm", String.join(" ", settings.workerJvm()));
        out.putAll(extra);
        return out;
    }

    /** The highest RSS of the first (or last) minute of a round's samples. */
    private static double maxRss(List<ProcessSampler.Sample> samples, boolean first) {
        if (samples.isEmpty()) {
            return 0;
        }
        double from = samples.get(0).atS();
        double to = samples.get(samples.size() - 1).atS();
        return samples.stream().filter(s -> first ? s.atS() <= from + 60 : s.atS() >= to - 60)
                .mapToDouble(ProcessSampler.Sample::rssMb).max().orElse(0);
    }

    private static double p95(Histogram h) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(95) / 1e3;
    }

    private static double meanOf(List<Map<String, Double>> rounds, String client) {
        return rounds.stream().mapToDouble(r -> r.getOrDefault(client, 0.0)).average().orElse(0);
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    private static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static double round(double v, int digits) {
        return BenchDatabase.round(v, digits);
    }
}
