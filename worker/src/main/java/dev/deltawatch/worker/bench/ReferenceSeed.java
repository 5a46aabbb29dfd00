package dev.deltawatch.worker.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Fills the reference target with {@code rows} realistic PFA records in one SQL statement (no client round trip
 * per row): organizations and categories spread evenly, forecast starts over 2020–2030, half of the records with a
 * small delta (notes and a rate override), then ANALYZE. Small JSON on purpose: the plan audits and their
 * benchmark need row counts and plan shapes, not payload volume (the seed tool of the load tests makes 2 KB ones).
 */
public final class ReferenceSeed {
    private static final String INSERT = """
            WITH o AS (SELECT array_agg(id ORDER BY id) AS ids FROM organizations),
                 c AS (SELECT array_agg(name ORDER BY name) AS names FROM categories)
            INSERT INTO pfa_records (organization_id, mirror_json, delta_json)
            SELECT o.ids[1 + g % array_length(o.ids, 1)],
                   jsonb_build_object(
                       'category', c.names[1 + (g / 10) % array_length(c.names, 1)],
                       'description', 'PFA ' || g,
                       'forecast', jsonb_build_object(
                           'start', to_char(date '2020-01-01' + (g * 7919 % 3650), 'YYYY-MM-DD'),
                           'end', to_char(date '2020-01-01' + (g * 7919 % 3650) + 90, 'YYYY-MM-DD')),
                       'rate', 100 + g % 500, 'source', 'PEMS',
                       'tags', jsonb_build_array('site-' || g % 40)),
                   CASE WHEN g % 2 = 0 THEN jsonb_build_object('notes', 'edited ' || g, 'rate', 50 + g % 300) END
            FROM generate_series(1, ?) AS g, o, c
            """;

    private ReferenceSeed() {}

    /** Inserts {@code rows} records and analyzes the table. */
    public static void seed(DataSource ds, int rows) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                ps.setInt(1, rows);
                ps.executeUpdate();
            }
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE pfa_records");
            }
        }
    }
}
