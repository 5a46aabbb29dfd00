package dev.deltawatch.worker.check.lock;

import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * What one call of the write function did: the version it returned, or the error PostgreSQL sent back with all
 * of its fields (the edge battery inspects them for leaked internals).
 *
 * @param newVersion the function's return value on success ({@code null} on failure, or when it returns no number)
 * @param sqlState   the error's SQLSTATE; {@code null} on success
 * @param where      the error's CONTEXT field (e.g. {@code PL/pgSQL function ... line 12 at RAISE})
 */
public record WriteOutcome(Long newVersion, String sqlState, String message, String detail, String hint,
                           String where) {

    /** A successful call; {@code version} is what the function returned, null when it returns no number. */
    public static WriteOutcome success(Long version) {
        return new WriteOutcome(version, null, null, null, null, null);
    }

    /** A statement that affected no row: the conflict signal of write paths declared {@code conflict.zeroRows}. */
    public static WriteOutcome zeroRows() {
        return new WriteOutcome(null, WritePath.ZERO_ROWS, "zero rows affected", null, null, null);
    }

    public static WriteOutcome failure(SQLException e) {
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage m = p.getServerErrorMessage();
            return new WriteOutcome(null, e.getSQLState(), m.getMessage(), m.getDetail(), m.getHint(), m.getWhere());
        }
        return new WriteOutcome(null, e.getSQLState(), e.getMessage(), null, null, null);
    }

    public boolean succeeded() {
        return sqlState == null;
    }

    /** One line for evidence: {@code ok -> version 2} or {@code ERROR PF409: Version conflict ...}. */
    public String describe() {
        return succeeded() ? (newVersion == null ? "ok" : "ok -> version " + newVersion) : "ERROR " + sqlState + ": " + message;
    }
}
