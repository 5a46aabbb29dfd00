package dev.deltawatch.worker.check.lock;

import java.sql.SQLException;
import java.util.Map;

/**
 * The Hermitage anomaly tests (github.com/ept/hermitage, PostgreSQL column) on a two-row table
 * {@code (id, value) = (1, 10), (2, 20)}. Each script drives an {@link Interleaving} of up to three transactions
 * and answers whether the anomaly happened. Reads return {@code id -> value} maps.
 */
final class HermitageScripts {
    private final String table;

    /** {@code table} is a quoted, schema-qualified name of a table the probe created itself. */
    HermitageScripts(String table) {
        this.table = table;
    }

    boolean run(String anomaly, Interleaving it) throws SQLException {
        return switch (anomaly) {
            case "G0" -> g0(it);
            case "G1a" -> g1a(it);
            case "G1b" -> g1b(it);
            case "G1c" -> g1c(it);
            case "OTV" -> otv(it);
            case "PMP" -> pmp(it);
            case "P4" -> p4(it);
            case "G-single" -> gSingle(it);
            case "G2-item" -> g2Item(it);
            case "G2" -> g2(it);
            default -> throw new IllegalArgumentException("unknown anomaly " + anomaly);
        };
    }

    /** Write cycles: the final state must come wholly from one writer. */
    private boolean g0(Interleaving it) throws SQLException {
        set(it, 1, "T1 x=11", 1, 11);
        set(it, 2, "T2 x=12", 1, 12);
        set(it, 1, "T1 y=21", 2, 21);
        it.commit(1);
        set(it, 2, "T2 y=22", 2, 22);
        it.commit(2);
        Map<Integer, Integer> end = read(it, 3, "T3 read", "");
        it.commit(3);
        return !(end.equals(Map.of(1, 11, 2, 21)) || end.equals(Map.of(1, 12, 2, 22)));
    }

    /** Aborted reads: T2 must never see a value T1 rolled back. */
    private boolean g1a(Interleaving it) throws SQLException {
        set(it, 1, "T1 x=101", 1, 101);
        Map<Integer, Integer> r1 = read(it, 2, "T2 read 1", "");
        it.rollback(1);
        Map<Integer, Integer> r2 = read(it, 2, "T2 read 2", "");
        it.commit(2);
        return r1.containsValue(101) || r2.containsValue(101);
    }

    /** Intermediate reads: T2 must never see T1's intermediate value. */
    private boolean g1b(Interleaving it) throws SQLException {
        set(it, 1, "T1 x=101", 1, 101);
        Map<Integer, Integer> r1 = read(it, 2, "T2 read 1", "");
        set(it, 1, "T1 x=11", 1, 11);
        it.commit(1);
        Map<Integer, Integer> r2 = read(it, 2, "T2 read 2", "");
        it.commit(2);
        return r1.containsValue(101) || r2.containsValue(101);
    }

    /** Circular information flow: neither transaction sees the other's uncommitted write. */
    private boolean g1c(Interleaving it) throws SQLException {
        set(it, 1, "T1 x=11", 1, 11);
        set(it, 2, "T2 y=22", 2, 22);
        Map<Integer, Integer> r1 = read(it, 1, "T1 read y", " WHERE id = 2");
        Map<Integer, Integer> r2 = read(it, 2, "T2 read x", " WHERE id = 1");
        it.commit(1);
        it.commit(2);
        return Integer.valueOf(22).equals(r1.get(2)) || Integer.valueOf(11).equals(r2.get(1));
    }

    /** Observed transaction vanishes: no single read mixes T1's and T2's writes. */
    private boolean otv(Interleaving it) throws SQLException {
        set(it, 1, "T1 x=11", 1, 11);
        set(it, 1, "T1 y=19", 2, 19);
        set(it, 2, "T2 x=12", 1, 12);
        it.commit(1);
        Map<Integer, Integer> r1 = read(it, 3, "T3 read 1", "");
        set(it, 2, "T2 y=18", 2, 18);
        Map<Integer, Integer> r2 = read(it, 3, "T3 read 2", "");
        it.commit(2);
        Map<Integer, Integer> r3 = read(it, 3, "T3 read 3", "");
        it.commit(3);
        return mixed(r1) || mixed(r2) || mixed(r3);
    }

    private static boolean mixed(Map<Integer, Integer> r) {
        return r.equals(Map.of(1, 11, 2, 18)) || r.equals(Map.of(1, 12, 2, 19));
    }

    /** Predicate-many-preceders: a predicate read repeated in T1 must not see T2's insert. */
    private boolean pmp(Interleaving it) throws SQLException {
        read(it, 1, "T1 read value=30", " WHERE value = 30");
        it.sql(2, "T2 insert (3,30)", "INSERT INTO " + table + " (id, value) VALUES (3, 30)");
        it.commit(2);
        Map<Integer, Integer> r2 = read(it, 1, "T1 read value%3=0", " WHERE value % 3 = 0");
        it.commit(1);
        return r2.containsKey(3);
    }

    /** Lost update: two read-modify-writes from 10 both commit. */
    private boolean p4(Interleaving it) throws SQLException {
        read(it, 1, "T1 read x", " WHERE id = 1");
        read(it, 2, "T2 read x", " WHERE id = 1");
        set(it, 1, "T1 x=11", 1, 11);
        set(it, 2, "T2 x=11", 1, 11);
        it.commit(1);
        it.commit(2);
        return bothCommitted(it);
    }

    /** Read skew: T1 must not see x before and y after T2's transfer (x + y stays 30). */
    private boolean gSingle(Interleaving it) throws SQLException {
        Map<Integer, Integer> r1 = read(it, 1, "T1 read x", " WHERE id = 1");
        read(it, 2, "T2 read", "");
        set(it, 2, "T2 x=12", 1, 12);
        set(it, 2, "T2 y=18", 2, 18);
        it.commit(2);
        Map<Integer, Integer> r2 = read(it, 1, "T1 read y", " WHERE id = 2");
        it.commit(1);
        return r1.containsKey(1) && r2.containsKey(2) && r1.get(1) + r2.get(2) != 30;
    }

    /** Write skew: both read both rows, each updates a different one; both commit. */
    private boolean g2Item(Interleaving it) throws SQLException {
        read(it, 1, "T1 read", " WHERE id IN (1, 2)");
        read(it, 2, "T2 read", " WHERE id IN (1, 2)");
        set(it, 1, "T1 x=11", 1, 11);
        set(it, 2, "T2 y=21", 2, 21);
        it.commit(1);
        it.commit(2);
        return bothCommitted(it);
    }

    /** Anti-dependency cycles: both read an empty predicate, each inserts into it; both commit. */
    private boolean g2(Interleaving it) throws SQLException {
        read(it, 1, "T1 read value%3=0", " WHERE value % 3 = 0");
        read(it, 2, "T2 read value%3=0", " WHERE value % 3 = 0");
        it.sql(1, "T1 insert (3,30)", "INSERT INTO " + table + " (id, value) VALUES (3, 30)");
        it.sql(2, "T2 insert (4,42)", "INSERT INTO " + table + " (id, value) VALUES (4, 42)");
        it.commit(1);
        it.commit(2);
        return bothCommitted(it);
    }

    private static boolean bothCommitted(Interleaving it) {
        return it.results().stream().allMatch(Interleaving.Step::ok);
    }

    private void set(Interleaving it, int tx, String label, int id, int value) throws SQLException {
        it.sql(tx, label, "UPDATE " + table + " SET value = " + value + " WHERE id = " + id);
    }

    @SuppressWarnings("unchecked")
    private Map<Integer, Integer> read(Interleaving it, int tx, String label, String where) throws SQLException {
        it.step(tx, label, c -> Interleaving.readPairs(c, "SELECT id, value FROM " + table + where + " ORDER BY id"));
        Interleaving.Step s = it.result(label);
        return s.ok() ? (Map<Integer, Integer>) s.value() : Map.of();
    }
}
