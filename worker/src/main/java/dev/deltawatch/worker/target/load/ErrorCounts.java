package dev.deltawatch.worker.target.load;

import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Errors by kind. Version conflicts are the optimistic lock doing its job and are counted apart from failures;
 * every other kind is a failure. Thread-safe.
 */
final class ErrorCounts {
    static final String VERSION_CONFLICT = "version_conflict";

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final String conflictSqlState;

    ErrorCounts(String conflictSqlState) {
        this.conflictSqlState = conflictSqlState;
    }

    boolean isConflict(SQLException e) {
        return conflictSqlState != null && conflictSqlState.equals(e.getSQLState());
    }

    void conflict() {
        add(VERSION_CONFLICT);
    }

    void failure(Exception e) {
        add(kind(e));
    }

    void add(String kind) {
        counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    static String kind(Exception e) {
        if (e instanceof SQLException sql && sql.getSQLState() != null) {
            return switch (sql.getSQLState()) {
                case "57014" -> "statement_timeout";
                case "55P03" -> "lock_timeout";
                case "40P01" -> "deadlock";
                case "40001" -> "serialization_failure";
                default -> "sqlstate_" + sql.getSQLState();
            };
        }
        return e.getClass().getSimpleName();
    }

    long conflicts() {
        LongAdder a = counts.get(VERSION_CONFLICT);
        return a == null ? 0 : a.sum();
    }

    long failures() {
        return counts.entrySet().stream().filter(e -> !e.getKey().equals(VERSION_CONFLICT))
                .mapToLong(e -> e.getValue().sum()).sum();
    }

    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
