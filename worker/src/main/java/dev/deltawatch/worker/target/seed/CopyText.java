package dev.deltawatch.worker.target.seed;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * One {@code COPY table (columns) FROM STDIN} (text format) on a caller's connection, fed in chunks of generated
 * rows, for the example targets' seeders. The caller owns the transaction, so several tables of one layout
 * (mirror first, then the deltas that reference it) load atomically on one connection.
 */
public final class CopyText {
    /** Appends the COPY text line of the row at {@code index}, or nothing to skip that index. */
    @FunctionalInterface
    public interface Rows {
        void append(StringBuilder out, long index);
    }

    private CopyText() {}

    /**
     * Streams the rows of indexes {@code [from, to)}; returns the number of lines sent. {@code progress} (may be
     * null) counts {@code countsRows ? lines : 0} rows and every byte.
     */
    public static long copy(Connection c, String table, String columns, long from, long to, int chunkRows,
                            Rows rows, SeedProgress progress, boolean countsRows) throws SQLException {
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + table + " " + columns + " FROM STDIN");
        long lines = 0;
        boolean ended = false;
        try {
            StringBuilder buffer = new StringBuilder(chunkRows * 800);
            for (long start = from; start < to; start += chunkRows) {
                buffer.setLength(0);
                long end = Math.min(to, start + chunkRows);
                for (long i = start; i < end; i++) {
                    int length = buffer.length();
                    rows.append(buffer, i);
                    if (buffer.length() > length) {
                        lines++;
                    }
                }
                byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
                copy.writeToCopy(bytes, 0, bytes.length);
                if (progress != null) {
                    progress.add(countsRows ? end - start : 0, bytes.length);
                }
            }
            copy.endCopy();
            ended = true;
            return lines;
        } finally {
            if (!ended && copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** Appends one field: escaped text (backslash, tab, newline, carriage return) or {@code \N} for null. */
    public static StringBuilder field(StringBuilder out, Object value) {
        if (value == null) {
            return out.append("\\N");
        }
        String s = value.toString();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
        return out;
    }

    /** Appends the fields tab-separated and ends the line. */
    public static void line(StringBuilder out, Object... fields) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                out.append('\t');
            }
            field(out, fields[i]);
        }
        out.append('\n');
    }
}
