package dev.deltawatch.worker.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.contracts.RowImage;
import dev.deltawatch.contracts.SourcePosition;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.check.ResolvedTarget;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A fault's exercise SQL (the application activity that makes a passive rule observable) replayed as the change
 * events capture would publish for it: the table holding the version is read before and after the exercise, and
 * every document whose delta or version changed becomes a {@code DELTA_ROW} event with full before and after images.
 * The catalog tour uses it to judge passive expectations without a replication slot; the running worker sees the
 * same rows through capture.
 */
final class ExerciseReplay {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Row(String key, String owner, String delta, String version) {}

    private ExerciseReplay() {}

    static List<ChangeEvent> run(Connection c, ResolvedTarget target, List<String> exercise) throws SQLException {
        ResolvedTarget.Table table = target.tables().stream().filter(t -> t.version() != null).findFirst()
                .orElseThrow(() -> new IllegalStateException("no table of the layout holds the version column"));
        Map<List<String>, Row> before = read(c, target, table);
        try (Statement s = c.createStatement()) {
            for (String sql : exercise) {
                s.execute(sql);
            }
        }
        Map<List<String>, Row> after = read(c, target, table);
        boolean token = target.config().documents().version().kind() == TargetConfig.Version.Kind.TOKEN;
        String name = target.config().schema() + "." + table.name();
        List<ChangeEvent> events = new ArrayList<>();
        int n = 0;
        for (Map.Entry<List<String>, Row> e : after.entrySet()) {
            Row was = before.get(e.getKey());
            Row now = e.getValue();
            if (was != null && Objects.equals(was.delta(), now.delta()) && Objects.equals(was.version(), now.version())) {
                continue;
            }
            ChangeEvent.Operation op = was == null ? ChangeEvent.Operation.INSERT : ChangeEvent.Operation.UPDATE;
            events.add(ChangeEvent.deltaRow("replay:" + n++, name, now.key(), now.owner(), op,
                    was == null ? null : image(was, token), image(now, token),
                    new SourcePosition("0/0", null, Instant.now()), Instant.now()));
        }
        return events;
    }

    private static RowImage image(Row row, boolean token) {
        try {
            JsonNode delta = row.delta() == null ? null : JSON.readTree(row.delta());
            return token ? new RowImage(null, delta, null, row.version(), true)
                    : new RowImage(null, delta, row.version() == null ? null : Long.valueOf(row.version()), true);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable delta of record " + row.key() + ": " + e.getMessage(), e);
        }
    }

    /** Every row of the version table: key, owner, delta and version as text. */
    private static Map<List<String>, Row> read(Connection c, ResolvedTarget target, ResolvedTarget.Table table)
            throws SQLException {
        ResolvedTarget.Table delta = target.deltaTable().orElse(table);
        boolean deltaHere = delta == table;
        String sql = "SELECT t." + table.key() + "::text, " + (table.owner() == null ? "NULL" : "t." + table.owner())
                + "::text, " + (deltaHere ? "t." + table.delta() + "::text" : "NULL::text") + ", t." + table.version()
                + "::text FROM " + table.qualifiedName() + " t";
        Map<List<String>, Row> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Row r = new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
                out.put(java.util.Arrays.asList(r.key(), r.owner()), r);
            }
        }
        return out;
    }
}
