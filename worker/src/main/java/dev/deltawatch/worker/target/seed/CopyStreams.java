package dev.deltawatch.worker.target.seed;

import dev.deltawatch.worker.infra.PostgresAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Generator threads, each with its own connection and one {@code COPY ... FROM STDIN} (text format). Threads take
 * chunks of row indexes from a shared counter (row index = id - 1, so an append continues the seed's sequence); because a row's content depends only on (seed, index), the rows
 * written are the same whatever thread writes them. All streams commit together, or all roll back when any fails.
 */
final class CopyStreams {
    private final PostgresAddress address;
    private final String table;
    private final SeedOptions options;
    private final long firstId;
    private final SeedProgress progress;

    CopyStreams(PostgresAddress address, String table, SeedOptions options, long firstId, SeedProgress progress) {
        this.address = address;
        this.table = table;
        this.options = options;
        this.firstId = firstId;
        this.progress = progress;
    }

    void run() throws SQLException {
        AtomicLong nextChunk = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch copied = new CountDownLatch(options.threads());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < options.threads(); t++) {
            Thread th = new Thread(() -> stream(nextChunk, failure, copied), "seed-copy-" + t);
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure.compareAndSet(null, e);
            }
        }
        Throwable f = failure.get();
        if (f instanceof SQLException sql) {
            throw sql;
        } else if (f != null) {
            throw new SQLException("seed failed: " + f.getMessage(), f);
        }
    }

    private void stream(AtomicLong nextChunk, AtomicReference<Throwable> failure, CountDownLatch copied) {
        RecordGenerator generator = new RecordGenerator(options.seed());
        try (Connection c = DriverManager.getConnection(address.jdbcUrl(), address.user(), address.password())) {
            c.setAutoCommit(false);
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + table + " " + RecordGenerator.COPY_COLUMNS + " FROM STDIN");
            boolean ended = false;
            try {
                StringBuilder buffer = new StringBuilder(options.chunkRows() * 2_600);
                long chunk;
                while (failure.get() == null && (chunk = nextChunk.getAndIncrement()) * options.chunkRows()
                        < options.rows()) {
                    long from = chunk * options.chunkRows();
                    long to = Math.min(options.rows(), from + options.chunkRows());
                    buffer.setLength(0);
                    for (long i = from; i < to; i++) {
                        RecordGenerator.appendCopyLine(buffer, generator.row(firstId - 1 + i, firstId + i));
                    }
                    byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    progress.add(to - from, bytes.length);
                }
                if (failure.get() == null) {
                    copy.endCopy();
                    ended = true;
                }
            } finally {
                if (!ended && copy.isActive()) {
                    copy.cancelCopy();
                }
            }
            copied.countDown();
            // Commit only once every stream has finished, so a failure anywhere rolls everything back.
            copied.await();
            if (failure.get() == null) {
                c.commit();
            } else {
                c.rollback();
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
            copied.countDown();
        }
    }
}
