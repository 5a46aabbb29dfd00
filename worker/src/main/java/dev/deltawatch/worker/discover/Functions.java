package dev.deltawatch.worker.discover;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The schema's functions as discovery reads them: name, argument names and types, defaults, result and body. */
record Functions(List<Fn> all) {

    record Fn(String name, List<String> argNames, List<String> argTypes, int defaults, String returns, String body) {
        String signature() {
            return name + "(" + String.join(", ", argTypes) + ")";
        }
    }

    private static final String SQL = """
            SELECT p.proname AS name, p.proargnames AS argnames,
                   ARRAY(SELECT format_type(t, NULL) FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY u(t, o) ORDER BY o)
                       AS argtypes,
                   p.pronargdefaults AS defaults, format_type(p.prorettype, NULL) AS returns, p.prosrc AS body
              FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = ? AND p.prokind = 'f'
             ORDER BY p.proname, p.oid""";

    static Functions read(Connection c, String schema) throws SQLException {
        List<Fn> out = new ArrayList<>();
        for (Map<String, Object> r : Sql.rows(c, SQL, schema)) {
            List<String> types = strings(r.get("argtypes"));
            List<String> names = new ArrayList<>(strings(r.get("argnames")));
            while (names.size() < types.size()) {
                names.add("$" + (names.size() + 1));
            }
            out.add(new Fn(Sql.text(r, "name"), names.subList(0, types.size()), types,
                    ((Number) r.get("defaults")).intValue(), Sql.text(r, "returns"), Sql.text(r, "body")));
        }
        return new Functions(List.copyOf(out));
    }

    /** Functions of two jsonb arguments returning jsonb: merge candidates. */
    List<Fn> merges() {
        return all.stream().filter(f -> f.argTypes().equals(List.of("jsonb", "jsonb")) && f.returns().equals("jsonb"))
                .toList();
    }

    private static List<String> strings(Object array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        Object[] values = (Object[]) ((Array) array).getArray();
        return Arrays.stream(values).map(v -> v == null ? "" : v.toString()).toList();
    }
}
