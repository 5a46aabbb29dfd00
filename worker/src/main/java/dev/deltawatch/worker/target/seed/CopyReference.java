package dev.deltawatch.worker.target.seed;

import dev.deltawatch.worker.infra.PostgresAddress;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.postgresql.PGConnection;

/**
 * The physical reference for the seed benchmark: PostgreSQL loading the very same rows from a pre-generated file,
 * into the same table state (truncated, secondary indexes and foreign keys dropped, then rebuilt, then ANALYZE).
 * Also measures the same COPY into a table without the generated columns, to show what computing the STORED
 * generated columns (the merge function, twice per row) costs PostgreSQL during the load.
 */
public final class CopyReference {
    private CopyReference() {}

    /** Writes rows 1..rows of {@code seed} to {@code file} in COPY text format (what the seed would send). */
    public static long writeFile(Path file, long rows, long seed) throws IOException {
        RecordGenerator generator = new RecordGenerator(seed);
        StringBuilder line = new StringBuilder(4_096);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (long i = 0; i < rows; i++) {
                line.setLength(0);
                RecordGenerator.appendCopyLine(line, generator.row(i, i + 1));
                w.append(line);
            }
        }
        return Files.size(file);
    }

    /**
     * Loads {@code file} into the (truncated) records table. {@code serverSide}: {@code COPY ... FROM 'file'} read
     * by the server itself (needs a local server and superuser or pg_read_server_files); otherwise the file is
     * streamed over one connection. Returns seconds per phase: copy_only_s, indexes_s, analyze_s, total_s,
     * plain_copy_s (same COPY into a table without generated columns).
     */
    public static Map<String, Double> load(PostgresAddress address, Path file, boolean serverSide)
            throws SQLException, IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        String table = Seeder.TABLE;
        try (Connection c = DriverManager.getConnection(address.jdbcUrl(), address.user(), address.password());
             Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + table + " RESTART IDENTITY");
            SecondaryObjects secondary = SecondaryObjects.read(c, table);
            secondary.drop(c, table, null);
            s.execute("CHECKPOINT");
            long t0 = System.nanoTime();
            copy(c, table, file, serverSide);
            out.put("copy_only_s", secs(t0));
            long t1 = System.nanoTime();
            Seeder.restore(address, secondary, s);
            out.put("indexes_s", secs(t1));
            long t2 = System.nanoTime();
            s.execute("ANALYZE " + table);
            out.put("analyze_s", secs(t2));
            out.put("total_s", secs(t0));
            s.execute("DROP TABLE IF EXISTS deltawatch_bench_plain");
            s.execute("CREATE TABLE deltawatch_bench_plain (LIKE " + table + " INCLUDING DEFAULTS)");
            s.execute("CHECKPOINT");
            long t3 = System.nanoTime();
            copy(c, "deltawatch_bench_plain", file, serverSide);
            out.put("plain_copy_s", secs(t3));
            s.execute("DROP TABLE deltawatch_bench_plain");
        }
        return out;
    }

    private static void copy(Connection c, String table, Path file, boolean serverSide)
            throws SQLException, IOException {
        String head = "COPY " + table + " " + RecordGenerator.COPY_COLUMNS + " FROM ";
        if (serverSide) {
            try (var ps = c.prepareStatement("SELECT quote_literal(?)")) {
                ps.setString(1, file.toAbsolutePath().toString());
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    // COPY takes no bind parameters; the path is quoted by the server itself.
                    try (Statement s = c.createStatement()) {
                        s.execute(head + rs.getString(1));
                    }
                }
            }
        } else {
            try (InputStream in = Files.newInputStream(file)) {
                c.unwrap(PGConnection.class).getCopyAPI().copyIn(head + "STDIN", in, 1 << 20);
            }
        }
    }

    private static double secs(long fromNanos) {
        return Math.round((System.nanoTime() - fromNanos) / 1e6) / 1e3;
    }
}
