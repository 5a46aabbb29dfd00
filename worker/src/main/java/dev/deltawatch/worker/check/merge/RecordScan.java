package dev.deltawatch.worker.check.merge;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.merge.MergeRecordReader.MergeRow;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs a record scope through a judge. Each read connection overlaps its fetches with the judging of the previous
 * batch ({@link PipelinedBatches}); an {@code ALL} scope over an integer key is split into {@code partitions} key
 * ranges read on as many connections at once, so PostgreSQL evaluates the merge on more than one core while the
 * oracle works. Every connection is its own read-only transaction under the context's timeouts.
 */
final class RecordScan {
    private RecordScan() {}

    static <R> List<R> run(CheckContext context, MergeRecordReader reader, CheckScope scope, int partitions,
                           Function<List<MergeRow>, List<R>> judge) throws Exception {
        long[] range = null;
        String keyType;
        try (Connection c = context.connect(true)) {
            keyType = reader.keyType(c);
            if (scope.kind() == CheckScope.Kind.ALL && partitions > 1) {
                range = reader.integerKeyRange(c, keyType);
            }
            if (range == null) {
                try (PipelinedBatches<R> pipeline = new PipelinedBatches<>(judge)) {
                    reader.read(c, scope, pipeline::submit);
                    List<R> out = pipeline.finish();
                    c.rollback();
                    return out;
                }
            }
            c.rollback();
        }
        return partitioned(context, reader, keyType, range, partitions, judge);
    }

    private static <R> List<R> partitioned(CheckContext context, MergeRecordReader reader, String keyType,
                                           long[] range, int partitions, Function<List<MergeRow>, List<R>> judge)
            throws Exception {
        ExecutorService readers = Executors.newFixedThreadPool(partitions);
        try {
            List<Future<List<R>>> parts = new ArrayList<>();
            long span = range[1] - range[0] + 1;
            for (int p = 0; p < partitions; p++) {
                // (after, upTo]: the first range starts just below the smallest key.
                long after = range[0] - 1 + span * p / partitions;
                long upTo = p == partitions - 1 ? range[1] : range[0] - 1 + span * (p + 1) / partitions;
                parts.add(readers.submit(() -> {
                    try (Connection c = context.connect(true);
                         PipelinedBatches<R> pipeline = new PipelinedBatches<>(judge)) {
                        reader.readRange(c, keyType, after, upTo, pipeline::submit);
                        List<R> out = pipeline.finish();
                        c.rollback();
                        return out;
                    }
                }));
            }
            List<R> out = new ArrayList<>();
            for (Future<List<R>> part : parts) {
                try {
                    out.addAll(part.get());
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
                }
            }
            return out;
        } finally {
            readers.shutdownNow();
        }
    }
}
