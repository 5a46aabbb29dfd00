package dev.deltawatch.worker.target.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies of one operation: a lock-free HdrHistogram {@link Recorder} that user threads write to, drained once
 * per interval by the sampler into a timeline point and the cumulative histogram. Values are microseconds.
 * {@link #record} is thread-safe; {@link #drain} and the readers are called from one thread.
 */
public final class OperationStats {
    /** One interval of the latency-over-time chart. */
    public record Point(double atSeconds, long count, double p50Ms, double p95Ms, double p99Ms, double maxMs) {}

    private final String name;
    private final Recorder recorder = new Recorder(3);
    private final Histogram total = new Histogram(3);
    private final List<Point> timeline = new ArrayList<>();
    private Histogram interval;

    OperationStats(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    void record(long nanos) {
        recorder.recordValue(Math.max(1, TimeUnit.NANOSECONDS.toMicros(nanos)));
    }

    /** Moves what was recorded since the last drain into the timeline and the total. */
    void drain(double atSeconds) {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        if (interval.getTotalCount() > 0) {
            timeline.add(new Point(atSeconds, interval.getTotalCount(), ms(interval, 50), ms(interval, 95),
                    ms(interval, 99), interval.getMaxValue() / 1e3));
        }
    }

    Histogram total() {
        return total;
    }

    List<Point> timeline() {
        return List.copyOf(timeline);
    }

    static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e3;
    }
}
