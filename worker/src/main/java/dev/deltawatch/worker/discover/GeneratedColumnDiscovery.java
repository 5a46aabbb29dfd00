package dev.deltawatch.worker.discover;

import dev.deltawatch.contracts.TargetConfig.GeneratedColumn;
import dev.deltawatch.contracts.TargetConfig.GeneratedColumn.Source;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the STORED generated columns of the layout's tables from {@code pg_get_expr}: the JSON path from their
 * {@code ->}/{@code ->>}/{@code #>>} steps, the SQL type from the column, and the source from what the expression
 * reads (the merge, or only the mirror or the delta column). A column with no JSON path is left out, with a note.
 */
final class GeneratedColumnDiscovery {
    private static final String SQL = """
            SELECT a.attname AS col, format_type(a.atttypid, a.atttypmod) AS type, pg_get_expr(d.adbin, d.adrelid) AS expr
              FROM pg_attribute a JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
              JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND c.relname = ? AND a.attgenerated = 's'
             ORDER BY a.attnum""";
    private static final Pattern STEP = Pattern.compile("->>?\\s*'((?:[^']|'')*)'");
    private static final Pattern PATH = Pattern.compile("#>>?\\s*'\\{((?:[^'}]|'')*)\\}'");
    private static final Pattern OUTER_CALL = Pattern.compile("^\\(*\\s*(\\w+)\\s*\\(");

    private GeneratedColumnDiscovery() {}

    static List<GeneratedColumn> discover(Connection c, String schema, Layout layout, MergeDiscovery.Found merge,
                                          Notes notes) throws SQLException {
        List<GeneratedColumn> out = new ArrayList<>();
        for (String table : layout.sameRow() ? List.of(layout.mirrorTable())
                : List.of(layout.mirrorTable(), layout.deltaTable())) {
            for (Map<String, Object> r : Sql.rows(c, SQL, schema, table)) {
                GeneratedColumn g = read(r, table, layout, merge, out.size(), notes);
                if (g != null) {
                    out.add(g);
                }
            }
        }
        notes.summary("generated columns: " + out.size() + (out.isEmpty() ? "" : " ("
                + String.join(", ", out.stream().map(GeneratedColumn::column).toList()) + ")"));
        return out;
    }

    private static GeneratedColumn read(Map<String, Object> r, String table, Layout layout,
                                        MergeDiscovery.Found merge, int index, Notes notes) {
        String col = Sql.text(r, "col");
        String expr = Sql.text(r, "expr");
        List<String> path = new ArrayList<>();
        Matcher p = PATH.matcher(expr);
        if (p.find()) {
            for (String k : p.group(1).split(",")) {
                path.add(k.strip().replaceAll("^\"|\"$", ""));
            }
        } else {
            Matcher s = STEP.matcher(expr);
            while (s.find()) {
                path.add(s.group(1).replace("''", "'"));
            }
        }
        boolean readsMerge = merge.function() != null ? expr.contains(merge.function() + "(")
                : expr.matches("(?s).*\\b" + Pattern.quote(layout.mirrorColumn()) + "\\b.*\\|\\|.*");
        boolean readsMirror = expr.matches("(?s).*\\b" + Pattern.quote(layout.mirrorColumn()) + "\\b.*");
        boolean readsDelta = expr.matches("(?s).*\\b" + Pattern.quote(layout.deltaColumn()) + "\\b.*");
        Source source;
        if (readsMerge && readsMirror && readsDelta) {
            source = Source.MERGED;
        } else if (readsMirror && !readsDelta && table.equals(layout.mirrorTable())) {
            source = Source.MIRROR;
        } else if (readsDelta && !readsMirror && table.equals(layout.deltaHome())) {
            source = Source.DELTA;
        } else {
            source = null;
        }
        if (path.isEmpty() || source == null) {
            notes.plain("documents.generatedColumns", "left out " + table + "." + col + " = " + expr + ": "
                    + (path.isEmpty() ? "no JSON path in it" : "it reads neither the merge nor one side alone"));
            return null;
        }
        String at = "documents.generatedColumns[" + index + "]";
        notes.add(at, Certainty.CERTAIN, table + "." + col + " = " + expr);
        Matcher outer = OUTER_CALL.matcher(expr);
        if (outer.find() && !outer.group(1).equals(merge.function())) {
            notes.add(at, Certainty.GUESS, "the value at the path goes through " + outer.group(1) + "(): deltawatch "
                    + "compares the column with the merged value at the path cast to " + Sql.text(r, "type")
                    + "; if " + outer.group(1) + "() changes values, remove this entry");
        }
        return new GeneratedColumn(col, path, Sql.text(r, "type"), source);
    }
}
