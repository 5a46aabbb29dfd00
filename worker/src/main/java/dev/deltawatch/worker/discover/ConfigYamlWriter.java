package dev.deltawatch.worker.discover;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deltawatch.contracts.MergeContract;
import dev.deltawatch.contracts.TargetConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a discovered {@link TargetConfig} as YAML with every note as a comment above the field it explains, the
 * TODOs at the top, unregistered queries and a write-statement template commented out. Strings are JSON-quoted
 * (valid YAML), SQL is a literal block.
 */
final class ConfigYamlWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WIDTH = 116;

    private final Notes notes;
    private final StringBuilder out = new StringBuilder();

    ConfigYamlWriter(Notes notes) {
        this.notes = notes;
    }

    String write(TargetConfig config, Layout layout, ContractInference.Inferred inferred, String database) {
        comment("", "Written by `deltawatch init` from database " + database + ", schema " + config.schema() + ". Each "
                + "choice has a comment: what init saw in the catalog, and how sure it is. Fix what is wrong, then "
                + "`deltawatch check` validates the system against it.");
        for (String todo : notes.todos()) {
            comment("", "TODO " + todo);
        }
        line("", "schemaVersion: " + config.schemaVersion());
        line("", "name: " + q(config.name()));
        line("", "schema: " + q(config.schema()));
        documents(config.documents());
        merge(config.merge(), inferred);
        write(config.write(), layout);
        queries(config.queries());
        probes(config.probes());
        return out.toString();
    }

    private void documents(TargetConfig.Documents d) {
        out.append('\n');
        line("", "documents:");
        notes("  ", "documents");
        line("  ", "mirror:");
        line("    ", "table: " + q(d.mirror().table()));
        line("    ", "key: " + q(d.mirror().key()));
        line("    ", "column: " + q(d.mirror().column()));
        line("  ", "delta:");
        if (d.delta().table() != null) {
            line("    ", "table: " + q(d.delta().table()));
            line("    ", "record: " + q(d.delta().record()));
            if (d.delta().owner() != null) {
                line("    ", "owner: " + q(d.delta().owner()));
            }
        }
        line("    ", "column: " + q(d.delta().column()));
        notes("  ", "documents.version");
        line("  ", "version:");
        line("    ", "on: " + lower(d.version().on()));
        line("    ", "column: " + q(d.version().column()));
        line("    ", "kind: " + lower(d.version().kind()));
        notes("    ", "documents.version.firstWriteCreates");
        line("    ", "firstWriteCreates: " + d.version().firstWriteCreates());
        notes("  ", "documents.generatedColumns");
        line("  ", "generatedColumns:" + (d.generatedColumns().isEmpty() ? " []" : ""));
        for (int i = 0; i < d.generatedColumns().size(); i++) {
            TargetConfig.GeneratedColumn g = d.generatedColumns().get(i);
            notes("    ", "documents.generatedColumns[" + i + "]");
            line("    ", "- column: " + q(g.column()));
            line("      ", "path: " + json(g.path()));
            line("      ", "sqlType: " + q(g.sqlType()));
            line("      ", "source: " + lower(g.source()));
        }
    }

    private void merge(TargetConfig.Merge m, ContractInference.Inferred inferred) {
        out.append('\n');
        line("", "merge:");
        notes("  ", "merge");
        if (m.concatOperator()) {
            line("  ", "operator: \"||\"");
        } else {
            line("  ", "function: " + q(m.function()));
            notes("  ", "merge.arguments");
            line("  ", "arguments: [" + lower(m.arguments().get(0)) + ", " + lower(m.arguments().get(1)) + "]");
        }
        comment("  ", "contract: inferred from what the merge returns today on the adversarial battery (read-only); "
                + "a change from it tomorrow is a regression");
        line("  ", "contract:");
        MergeContract k = m.contract();
        dimension("objects", lower(k.objects()), inferred);
        dimension("deltaNull", lower(k.deltaNull()), inferred);
        dimension("arrays", lower(k.arrays()), inferred);
        Object sqlNull = k.sqlNull().mirror() == k.sqlNull().delta() ? lower(k.sqlNull().mirror())
                : "{mirror: " + lower(k.sqlNull().mirror()) + ", delta: " + lower(k.sqlNull().delta()) + "}";
        dimension("sqlNull", sqlNull.toString(), inferred);
        dimension("typeCoercion", lower(k.typeCoercion()), inferred);
        if (!inferred.unexplained().isEmpty()) {
            comment("    ", "TODO the contract above is the closest fit; it does not explain these cases:");
            inferred.unexplained().forEach(u -> comment("    ", "  - " + u));
        }
    }

    private void dimension(String name, String value, ContractInference.Inferred inferred) {
        String reason = inferred.reasons().get(name);
        if (reason != null) {
            comment("    ", reason);
        }
        line("    ", name + ": " + value);
    }

    private void write(TargetConfig.Write w, Layout layout) {
        out.append('\n');
        if (w == null) {
            notes("", "write");
            comment("", "write:   # the statement form, to adapt to the application's own SQL:");
            comment("", "  statement: |");
            comment("", "    UPDATE " + layout.deltaHome() + " SET " + layout.deltaColumn() + " = " + layout.deltaColumn()
                    + " || CAST(:patch AS jsonb), <version> = <version> + 1");
            comment("", "     WHERE " + (layout.sameRow() ? layout.key() : layout.record()) + " = :key"
                    + (layout.owner() != null ? " AND " + layout.owner() + " = :owner" : "")
                    + " AND <version> = :expectedVersion");
            comment("", "  conflict:");
            comment("", "    zeroRows: true");
            return;
        }
        line("", "write:");
        notes("  ", "write");
        if (w.statement() != null) {
            notes("  ", "write.statement");
            line("  ", "statement: |");
            for (String l : w.statement().strip().split("\n")) {
                line("    ", l.replace("\t", "    ").stripTrailing());
            }
            notes("  ", "write.conflict");
            line("  ", "conflict:");
            line("    ", "zeroRows: true");
            return;
        }
        notes("  ", "write.function");
        line("  ", "function: " + q(w.function()));
        notes("  ", "write.arguments");
        List<String> roles = new ArrayList<>();
        for (TargetConfig.Argument a : w.arguments()) {
            roles.add(String.valueOf(toJson(a)).replace("\"", ""));
        }
        line("  ", "arguments: [" + String.join(", ", roles) + "]");
        notes("  ", "write.conflict");
        line("  ", "conflict:");
        line("    ", "sqlState: " + q(w.conflict().sqlState()));
        line("    ", "message: " + q(w.conflict().message()));
    }

    private void queries(List<TargetConfig.RegisteredQuery> queries) {
        out.append('\n');
        comment("", "Budgets from the DBRE methodology: " + QueryDiscovery.SINGLE_RECORD_MS + " ms for a single record, "
                + QueryDiscovery.BATCH_MS + " ms for a batch.");
        notes("", "queries");
        line("", "queries:" + (queries.isEmpty() ? " []" : ""));
        for (int i = 0; i < queries.size(); i++) {
            TargetConfig.RegisteredQuery q = queries.get(i);
            notes("  ", "queries[" + i + "]");
            line("  ", "- name: " + q(q.name()));
            line("    ", "kind: read");
            line("    ", "budgetMs: " + q.budgetMs());
            line("    ", "sql: |-");
            for (String l : q.sql().strip().split("\n")) {
                line("      ", l.replace("\t", "    ").stripTrailing());
            }
            line("    ", "params:");
            for (List<Object> set : q.params()) {
                line("      ", "- " + json(set));
            }
            if (!q.drawFrom().isEmpty()) {
                comment("    ", "At each audit, one more set: the most common value of these columns in the data as it "
                        + "is then (a value that grew since the last ANALYZE gets audited too).");
                line("    ", "drawFrom: " + json(q.drawFrom()));
            }
        }
        List<String> unregistered = notes.at("queries.unregistered");
        if (!unregistered.isEmpty()) {
            comment("", "Seen in pg_stat_statements but not registered (their parameters could not be drawn):");
            unregistered.forEach(u -> out.append("# ").append(u).append('\n'));
        }
    }

    private void probes(TargetConfig.Probes p) {
        out.append('\n');
        line("", "probes:");
        notes("  ", "probes");
        if (p.column() != null) {
            line("  ", "column: " + q(p.column()));
            line("  ", "namespace: " + q(p.namespace()));
        } else {
            line("  ", "owner: " + q(p.owner()));
        }
        if (p.keyTemplate() != null) {
            notes("  ", "probes.keyTemplate");
            line("  ", "keyTemplate: " + q(p.keyTemplate()));
        }
    }

    static String contractLine(MergeContract k) {
        return "objects " + lower(k.objects()) + ", deltaNull " + lower(k.deltaNull()) + ", arrays "
                + lower(k.arrays()) + ", sqlNull " + k.sqlNull() + ", typeCoercion " + lower(k.typeCoercion());
    }

    private void notes(String indent, String path) {
        notes.at(path).forEach(n -> comment(indent, n));
    }

    private void comment(String indent, String text) {
        StringBuilder current = new StringBuilder();
        for (String word : text.split(" ")) {
            if (current.length() > 0 && indent.length() + 2 + current.length() + word.length() + 1 > WIDTH) {
                out.append(indent).append("# ").append(current).append('\n');
                current.setLength(0);
                current.append("  ");
            }
            current.append(current.length() == 0 || current.toString().isBlank() ? "" : " ").append(word);
        }
        out.append(indent).append("# ").append(current).append('\n');
    }

    private void line(String indent, String text) {
        out.append(indent).append(text).append('\n');
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static String q(String s) {
        return json(s);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value + " as YAML", e);
        }
    }

    private static Object toJson(TargetConfig.Argument a) {
        Map<?, ?> asMap = JSON.convertValue(Map.of("a", a), Map.class);
        return asMap.get("a");
    }
}
