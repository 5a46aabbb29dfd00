package dev.deltawatch.worker.check.lock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The observed isolation matrix: for each anomaly and isolation level, whether the anomaly happened, next to what
 * PostgreSQL documents for that level (per Hermitage). Data for the {@code check} output to render as a table.
 *
 * @param cells one per (anomaly, level), in anomaly then level order
 */
public record IsolationMatrix(List<Cell> cells) {

    public static final List<String> LEVELS = List.of("read committed", "repeatable read", "serializable");
    public static final List<String> ANOMALIES = List.of("G0", "G1a", "G1b", "G1c", "OTV", "PMP", "P4", "G-single",
            "G2-item", "G2");

    /** One cell: {@code observed} is true when the anomaly happened at that level. */
    public record Cell(String anomaly, String level, boolean observed, boolean documentedPossible, String transcript) {
        public boolean matchesDocumentation() {
            return observed == documentedPossible;
        }
    }

    /** What PostgreSQL documents: only these anomalies are possible at these levels (Hermitage, PostgreSQL column). */
    public static boolean documentedPossible(String anomaly, String level) {
        return switch (anomaly) {
            case "PMP", "P4", "G-single" -> level.equals("read committed");
            case "G2-item", "G2" -> !level.equals("serializable");
            default -> false;
        };
    }

    public List<Cell> differences() {
        return cells.stream().filter(c -> !c.matchesDocumentation()).toList();
    }

    /** anomaly -> level -> observed. */
    public Map<String, Map<String, Boolean>> asMap() {
        Map<String, Map<String, Boolean>> out = new LinkedHashMap<>();
        for (Cell c : cells) {
            out.computeIfAbsent(c.anomaly(), a -> new LinkedHashMap<>()).put(c.level(), c.observed());
        }
        return out;
    }

    /**
     * A Markdown table: one row per anomaly, one column per level; "prevented" or "ANOMALY", with a "(!)" where the
     * observation differs from PostgreSQL's documented behaviour.
     */
    public String toMarkdownTable() {
        StringBuilder out = new StringBuilder("| anomaly |");
        List<String> levels = new ArrayList<>();
        cells.forEach(c -> {
            if (!levels.contains(c.level())) {
                levels.add(c.level());
            }
        });
        levels.forEach(l -> out.append(' ').append(l).append(" |"));
        out.append("\n|---|").append("---|".repeat(levels.size())).append('\n');
        asMap().forEach((anomaly, byLevel) -> {
            out.append("| ").append(anomaly).append(" |");
            for (String level : levels) {
                Cell cell = cells.stream().filter(c -> c.anomaly().equals(anomaly) && c.level().equals(level))
                        .findFirst().orElse(null);
                out.append(' ').append(cell == null ? "-" : (cell.observed() ? "ANOMALY" : "prevented")
                        + (cell.matchesDocumentation() ? "" : " (!)")).append(" |");
            }
            out.append('\n');
        });
        return out.toString();
    }
}
