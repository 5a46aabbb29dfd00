package dev.deltawatch.worker.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Benchmark data made inside PostgreSQL (generate_series + jsonb_build_object), so generating 100K records costs
 * one statement and no client round trips. Only for benchmark databases the bench created itself.
 */
final class BenchData {
    private BenchData() {}

    /**
     * {@code rows} PFA records with ~2 KB mirrors (category, forecast/plan dates, equipment, location, tags,
     * history, a long description); every second record has a delta that overrides the category and a nested
     * date, nulls the notes, replaces the tags and edits the plan.
     */
    static void generateMergeRows(DataSource ds, int rows) throws SQLException {
        String sql = """
                INSERT INTO pfa_records (organization_id, mirror_json, delta_json)
                SELECT o.ids[1 + g % 10],
                       jsonb_build_object(
                           'pems_id', 'PEMS-' || g,
                           'category', c.names[1 + g % 15],
                           'equipment', jsonb_build_object('make', 'Make ' || g % 40, 'model', 'M-' || g % 300,
                                                           'serial', md5(g::text), 'class', 'class-' || g % 7),
                           'forecast', jsonb_build_object('start', (date '2020-01-01' + g % 3650)::text,
                                                          'end', (date '2020-06-01' + g % 3650)::text),
                           'plan', jsonb_build_object('start', (date '2020-01-01' + g % 3000)::text,
                                                      'end', (date '2020-09-01' + g % 3000)::text,
                                                      'rate', (g % 1000) / 10.0, 'currency', 'USD', 'qty', '0'),
                           'location', jsonb_build_object('site', 'Site ' || g % 50, 'area', 'Area ' || g % 9,
                                                          'lat', -30 + (g % 600) / 10.0, 'lon', 115 + (g % 300) / 10.0),
                           'tags', jsonb_build_array('t' || g % 5, 't' || g % 7, 't' || g % 11),
                           'history', jsonb_build_array(
                               jsonb_build_object('at', '2023-01-01', 'by', 'pems-sync', 'note', md5('a' || g)),
                               jsonb_build_object('at', '2023-06-01', 'by', 'pems-sync', 'note', md5('b' || g)),
                               jsonb_build_object('at', '2024-01-01', 'by', 'pems-sync', 'note', md5('c' || g))),
                           'notes', 'synced from PEMS',
                           'description', repeat(md5(g::text) || ' ', 38)),
                       CASE WHEN g % 2 = 0 THEN jsonb_build_object(
                           'category', c.names[1 + (g / 2) % 15],
                           'forecast', jsonb_build_object('start', (date '2021-01-01' + g % 3650)::text),
                           'plan', jsonb_build_object('rate', (g % 500) / 10.0),
                           'notes', NULL,
                           'tags', jsonb_build_array('edited'))
                       END
                FROM generate_series(1, ?) g,
                     (SELECT array_agg(id ORDER BY id) AS ids FROM organizations) o,
                     (SELECT array_agg(name ORDER BY name) AS names FROM categories) c
                """;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setInt(1, rows);
                ps.executeUpdate();
            }
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE pfa_records");
            }
        }
    }

    static long averageMirrorBytes(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT avg(length(mirror_json::text))::bigint FROM pfa_records")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
