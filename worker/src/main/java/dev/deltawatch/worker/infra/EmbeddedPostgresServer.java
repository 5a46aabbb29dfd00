package dev.deltawatch.worker.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL 17 from zonky's embedded binaries, configured the way capture and the plan audits need it:
 * logical WAL for Debezium, and {@code pg_stat_statements} preloaded. It starts as root (the library runs
 * initdb in a way the bare binary refuses), on a random free port; its data directory is removed on close.
 *
 * <p>It can also be shut down the way an operator or a crash would ({@link #shutdown(ShutdownMode)}) and started
 * again on the same port and data directory ({@link #restart()}): the reliability tests use that.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    /** PostgreSQL's shutdown modes, as {@code pg_ctl stop -m} names them, with the signal each sends. */
    public enum ShutdownMode {
        /** Sessions are rolled back and disconnected, a checkpoint is written. */
        FAST("-INT"),
        /** Every process quits at once; the next start runs crash recovery. */
        IMMEDIATE("-QUIT");

        private final String signal;

        ShutdownMode(String signal) {
            this.signal = signal;
        }
    }

    private final Path dataDirectory;
    private final int port;
    private volatile EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    public static EmbeddedPostgresServer start() {
        try {
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(
                    Files.createTempDirectory("deltawatch-pg-"), EmbeddedKafkaBroker.freePort());
            server.postgres = server.launch();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start: " + e.getMessage(), e);
        }
    }

    private EmbeddedPostgres launch() throws IOException {
        long t0 = System.nanoTime();
        // Values may not contain spaces: zonky passes each as "-c key=value".
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false) // kept across restart(); close() removes it
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "20")
                .setServerConfig("max_wal_senders", "20")
                .setServerConfig("max_connections", "300")
                .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                .setServerConfig("pg_stat_statements.track", "all")
                .setServerConfig("max_slot_wal_keep_size", "4GB")
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig("work_mem", "16MB")
                .setServerConfig("maintenance_work_mem", "256MB")
                .setServerConfig("max_wal_size", "4GB")
                .setServerConfig("track_io_timing", "on")
                .start();
        LOG.info("embedded PostgreSQL started on port {} in {} ms", port, (System.nanoTime() - t0) / 1_000_000);
        return pg;
    }

    /** Shuts the server down in the given mode and waits until the postmaster has exited. */
    public void shutdown(ShutdownMode mode) {
        EmbeddedPostgres pg = postgres;
        try {
            // zonky starts the server through pg_ctl; the postmaster's own pid is in postmaster.pid.
            long pid = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
            ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(
                    () -> new IllegalStateException("no postmaster with pid " + pid));
            Process kill = new ProcessBuilder("kill", mode.signal, String.valueOf(postmaster.pid()))
                    .inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill " + mode.signal + " " + postmaster.pid() + " failed");
            }
            postmaster.onExit().get(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while PostgreSQL shut down", e);
        } catch (Exception e) {
            throw new IllegalStateException("PostgreSQL did not shut down (" + mode + "): " + e.getMessage(), e);
        }
        closeQuietly(pg); // releases zonky's lock on the data directory; the directory itself is kept
        LOG.info("embedded PostgreSQL on port {} shut down ({})", port, mode);
    }

    /** Starts the server again on the same port and data directory, after {@link #shutdown(ShutdownMode)}. */
    public void restart() {
        try {
            postgres = launch();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not restart: " + e.getMessage(), e);
        }
    }

    public PostgresAddress address() {
        return new PostgresAddress("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        closeQuietly(postgres);
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", dataDirectory, e.getMessage());
        }
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        try {
            pg.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }
}
