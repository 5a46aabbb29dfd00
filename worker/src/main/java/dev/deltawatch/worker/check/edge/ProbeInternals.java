package dev.deltawatch.worker.check.edge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the probe session knows of the server's internals, so that {@link ErrorLeaks} recognises them when an error
 * echoes them back by value: the session's backend pid, its role names, the server's file locations (only those
 * the role may read: {@code pg_settings} hides the rest) and the lines of the target schema's SQL and PL/pgSQL
 * function bodies.
 *
 * @param backendPid  {@code pg_backend_pid()} of the session the cases run in
 * @param roles       {@code session_user} and {@code current_user}
 * @param paths       data directory and configuration files, where visible
 * @param bodyLines   lines of function bodies long enough to be recognisable (whitespace collapsed)
 * @param function    the write function's name as the call names it (the caller statement starts with it)
 */
record ProbeInternals(int backendPid, Set<String> roles, List<String> paths, List<String> bodyLines,
                      String function) {
    /** Shorter lines ({@code END IF;}, {@code RETURN x;}) are too common to tell a body from a message. */
    static final int MIN_BODY_LINE = 24;

    private static final String PATHS = "SELECT setting FROM pg_settings WHERE name IN "
            + "('data_directory', 'config_file', 'hba_file', 'ident_file') AND setting LIKE '/%'";
    private static final String BODIES = "SELECT p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            + "JOIN pg_language l ON l.oid = p.prolang WHERE n.nspname = ? AND l.lanname IN ('plpgsql', 'sql')";

    static ProbeInternals read(Connection c, int backendPid, String schema, String function) throws SQLException {
        Set<String> roles = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT session_user, current_user");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            roles.add(rs.getString(1));
            roles.add(rs.getString(2));
        }
        List<String> paths = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(PATHS); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                paths.add(rs.getString(1));
            }
        }
        Set<String> lines = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement(BODIES)) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    for (String line : rs.getString(1).split("\n")) {
                        String l = ErrorLeaks.collapse(line);
                        if (l.length() >= MIN_BODY_LINE && !l.startsWith("--")) {
                            lines.add(l);
                        }
                    }
                }
            }
        }
        return new ProbeInternals(backendPid, roles, paths, List.copyOf(lines), function);
    }
}
