package dev.deltawatch.worker.runtime;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The definitions of the database's own functions and procedures (not the system's, not an extension's) at one
 * moment: a hash of their text ({@code pg_get_functiondef}: body, arguments, volatility, {@code SET} clauses), and
 * which catalog row versions they were ({@code pg_proc.xmin}). Same text means every merged value is what it was;
 * same rows also means nothing replaced a function in between, not even with the same text. Covers every function
 * a merge may call, whatever schema it lives in, without following the calls.
 */
record FunctionDefinitions(String textHash, String rowVersions) {

    private static final String SQL = """
            SELECT md5(coalesce(string_agg(pg_get_functiondef(p.oid), E'\\n' ORDER BY pg_get_functiondef(p.oid)), '')),
                   coalesce(string_agg(p.oid::text || ':' || p.xmin::text, ',' ORDER BY p.oid), '')
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.prokind IN ('f', 'p')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                              AND d.deptype = 'e')""";

    static FunctionDefinitions read(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new FunctionDefinitions(rs.getString(1), rs.getString(2));
        }
    }

    /** Whether the functions read the same, whether or not they were replaced since. */
    boolean sameText(FunctionDefinitions other) {
        return other != null && textHash.equals(other.textHash);
    }
}
