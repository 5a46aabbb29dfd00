package dev.deltawatch.worker.target.load;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.contracts.TargetConfig.RegisteredQuery;
import dev.deltawatch.worker.check.ResolvedTarget;
import dev.deltawatch.worker.check.TargetCatalog;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.PostgresAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * A steady open-loop workload, as a staging database sees all day: delta edits through the target's write path
 * (read the version, write, retry on a conflict) at a fixed rate, and the registered read queries at a fixed rate.
 * Operation k of a kind is due at {@code start + k / rate}; a thread that is late starts it at once and its latency
 * still counts from when it was due, so a slower database shows as latency, not as a lower rate (coordinated
 * omission corrected). {@link #window()} hands over the latencies since the last call, so one workload runs
 * through all rounds of a benchmark.
 */
public final class PacedWorkload implements AutoCloseable {
    /** The {@code application_name} of the workload's sessions. */
    public static final String APPLICATION_NAME = "deltawatch-paced-load";

    /** Latencies of one window, microseconds. */
    public record Window(Histogram edits, Histogram reads, Histogram all, long failures, long conflicts,
                         long disturbed) {}

    private final HikariDataSource pool;
    private final Workload workload;
    private final ErrorCounts errors;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<OperationStats> edits = new AtomicReference<>(new OperationStats("edits"));
    private final AtomicReference<OperationStats> reads = new AtomicReference<>(new OperationStats("reads"));
    private final OperationStats disturbed = new OperationStats("disturbed");
    private final AtomicLong nextEdit = new AtomicLong();
    private final AtomicLong nextRead = new AtomicLong();
    private long windowFailures;
    private long windowConflicts;
    private volatile boolean running = true;
    private volatile BooleanSupplier disturbance = () -> false;

    private PacedWorkload(HikariDataSource pool, Workload workload, ErrorCounts errors) {
        this.pool = pool;
        this.workload = workload;
        this.errors = errors;
    }

    /**
     * Starts {@code editsPerS} edits and {@code readsPerS} reads (0: none) per second against the target at
     * {@code address}, each kind on {@code threadsPerKind} threads of one pool.
     */
    public static PacedWorkload start(PostgresAddress address, TargetConfig config, int editsPerS, int readsPerS,
                                      int threadsPerKind, long seed) throws SQLException {
        HikariDataSource pool = Database.pool(address, "paced-load", 2 * threadsPerKind);
        try {
            ResolvedTarget target;
            ParameterDraws draws;
            try (Connection c = pool.getConnection()) {
                target = TargetCatalog.resolve(c, config);
                draws = ParameterDraws.sample(c, target, seed);
            }
            List<RegisteredQuery> readQueries = config.queries().stream()
                    .filter(q -> q.kind() == RegisteredQuery.Kind.READ).toList();
            ErrorCounts errors = new ErrorCounts(config.write() == null ? null : config.write().conflict().sqlState());
            PacedWorkload w = new PacedWorkload(pool, new Workload(pool, target, draws, readQueries, errors), errors);
            long start = System.nanoTime();
            for (int i = 0; i < threadsPerKind; i++) {
                if (editsPerS > 0) {
                    w.thread("paced-edit-" + i, seed * 31 + i, start, editsPerS, w.nextEdit, true);
                }
                if (readsPerS > 0 && !readQueries.isEmpty()) {
                    w.thread("paced-read-" + i, seed * 37 + i, start, readsPerS, w.nextRead, false);
                }
            }
            return w;
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private void thread(String name, long seed, long start, int perSecond, AtomicLong counter, boolean edit) {
        SplittableRandom r = new SplittableRandom(seed);
        long intervalNanos = 1_000_000_000L / perSecond;
        Thread t = new Thread(() -> {
            while (running) {
                long due = start + counter.getAndIncrement() * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (!running) {
                    return;
                }
                // While a benchmark has broken the target on purpose (an index dropped makes reads scan), an
                // operation measures the fault, not the load: it is kept apart.
                boolean apart = disturbance.getAsBoolean();
                if (edit) {
                    workload.write(r, apart ? disturbed : edits.get(), due);
                } else {
                    workload.read(r, due, apart ? disturbed : reads.get());
                }
            }
        }, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** Operations due while {@code disturbed} answers true are kept out of the window's latencies (counted). */
    public void setDisturbance(BooleanSupplier disturbed) {
        this.disturbance = disturbed;
    }

    /** The latencies recorded since the last call (or the start), and the failures and conflicts counted since. */
    public synchronized Window window() {
        OperationStats e = edits.getAndSet(new OperationStats("edits"));
        OperationStats r = reads.getAndSet(new OperationStats("reads"));
        LockSupport.parkNanos(50_000_000L); // operations that took the old recorder just before the swap
        e.drain(0);
        r.drain(0);
        long before = disturbed.total().getTotalCount();
        disturbed.drain(0);
        Histogram all = new Histogram(3);
        all.add(e.total());
        all.add(r.total());
        long failures = errors.failures();
        long conflicts = errors.conflicts();
        Window w = new Window(e.total(), r.total(), all, failures - windowFailures, conflicts - windowConflicts,
                disturbed.total().getTotalCount() - before);
        windowFailures = failures;
        windowConflicts = conflicts;
        return w;
    }

    @Override
    public void close() {
        running = false;
        for (Thread t : threads) {
            LockSupport.unpark(t);
            try {
                t.join(35_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pool.close();
    }
}
