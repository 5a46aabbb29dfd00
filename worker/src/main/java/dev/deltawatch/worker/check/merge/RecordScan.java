package dev.deltawatch.worker.check.merge;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckProgress;
import dev.deltawatch.worker.check.PassGate;
import dev.deltawatch.worker.check.merge.MergeRecordReader.MergeRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a record scope through a judge. Each read connection overlaps its fetches with the judging of the previous
 * batch ({@link PipelinedBatches}); an {@code ALL} scope over an integer key is split into chunks of the key range
 * read on {@code partitions} connections at once (each taking the next chunk when done with one), so PostgreSQL
 * evaluates the merge on more than one core while the oracle works. Every connection is its own read-only
 * transaction under the context's timeouts. An {@code ALL} scope reports the records it has read to the context's
 * {@link dev.deltawatch.worker.check.CheckProgress} under the name of the check it reads for, and asks its
 * {@link PassGate} before each batch it reads.
 */
final class RecordScan {
    static final int CHUNKS_PER_PARTITION = 4;

    private RecordScan() {}

    static <R> List<R> run(CheckContext context, String check, MergeRecordReader reader, CheckScope scope,
                           int partitions, Function<List<MergeRow>, List<R>> judge) throws Exception {
        long[] range = null;
        String keyType;
        CheckProgress.Pass pass = CheckProgress.Pass.NONE;
        try {
            try (Connection c = context.connect(true)) {
                keyType = reader.keyType(c);
                if (scope.kind() == CheckScope.Kind.ALL) {
                    pass = context.progress().pass(check, Math.round(reader.estimatedRows(c)));
                    if (partitions > 1) {
                        range = reader.integerKeyRange(c, keyType);
                    }
                }
                if (range == null) {
                    PassGate gate = scope.kind() == CheckScope.Kind.ALL ? context.passGate() : PassGate.OPEN;
                    try (PipelinedBatches<R> pipeline = new PipelinedBatches<>(judge)) {
                        CheckProgress.Pass counted = pass;
                        gated(gate, sink -> reader.read(c, scope, sink), batch -> {
                            pipeline.submit(batch);
                            counted.add(MergeRecordReader.records(batch));
                        });
                        List<R> out = pipeline.finish();
                        c.rollback();
                        return out;
                    }
                }
                c.rollback();
            }
            return partitioned(context, reader, keyType, range, partitions, judge, pass);
        } finally {
            pass.close();
        }
    }

    /** A read of batches handing each to a sink. */
    private interface BatchRead {
        void run(Consumer<List<MergeRow>> sink) throws SQLException;
    }

    /** Runs {@code read} with each batch's fetch between the gate's {@code beforeRead} and {@code afterRead}. */
    private static void gated(PassGate gate, BatchRead read, Consumer<List<MergeRow>> sink) throws SQLException {
        gate.beforeRead();
        try {
            read.run(batch -> {
                gate.afterRead();
                try {
                    sink.accept(batch);
                } finally {
                    gate.beforeRead();
                }
            });
        } finally {
            gate.afterRead();
        }
    }

    /**
     * The key range cut into {@link #CHUNKS_PER_PARTITION} chunks per connection, taken from a shared counter by
     * {@code partitions} connections. Why more chunks than connections: with one range per connection, whichever
     * finishes first leaves its core idle while the other reads its tail; small chunks taken on demand keep every
     * connection busy to the end. Results are assembled in chunk order, so they keep key order.
     */
    private static <R> List<R> partitioned(CheckContext context, MergeRecordReader reader, String keyType,
                                           long[] range, int partitions, Function<List<MergeRow>, List<R>> judge,
                                           CheckProgress.Pass pass) throws Exception {
        PassGate gate = context.passGate(); // a partitioned scan reads every record
        long span = range[1] - range[0] + 1;
        int chunks = (int) Math.max(1, Math.min(span, (long) partitions * CHUNKS_PER_PARTITION));
        List<List<R>> byChunk = new ArrayList<>(java.util.Collections.nCopies(chunks, null));
        AtomicInteger next = new AtomicInteger();
        ExecutorService readers = Executors.newFixedThreadPool(partitions);
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                parts.add(readers.submit(() -> {
                    try (Connection c = context.connect(true)) {
                        for (int i = next.getAndIncrement(); i < chunks; i = next.getAndIncrement()) {
                            // (after, upTo]: the first chunk starts just below the smallest key.
                            long after = range[0] - 1 + span * i / chunks;
                            long upTo = i == chunks - 1 ? range[1] : range[0] - 1 + span * (i + 1) / chunks;
                            try (PipelinedBatches<R> pipeline = new PipelinedBatches<>(judge)) {
                                gated(gate, sink -> reader.readRange(c, keyType, after, upTo, sink), batch -> {
                                    pipeline.submit(batch);
                                    pass.add(MergeRecordReader.records(batch));
                                });
                                List<R> out = pipeline.finish();
                                synchronized (byChunk) {
                                    byChunk.set(i, out);
                                }
                            }
                        }
                        c.rollback();
                    }
                    return null;
                }));
            }
            for (Future<?> part : parts) {
                try {
                    part.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
                }
            }
            List<R> out = new ArrayList<>();
            synchronized (byChunk) {
                byChunk.forEach(out::addAll);
            }
            return out;
        } finally {
            readers.shutdownNow();
        }
    }
}
