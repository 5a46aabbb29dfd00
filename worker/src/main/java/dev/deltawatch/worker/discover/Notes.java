package dev.deltawatch.worker.discover;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What discovery saw for each choice, keyed by the config path the choice fills ({@code documents.mirror.table},
 * {@code queries[2]}): the writer puts each note beside its field. TODOs are what the team must still decide.
 */
final class Notes {
    private final Map<String, List<String>> byPath = new LinkedHashMap<>();
    private final List<String> todos = new ArrayList<>();
    private final List<String> summary = new ArrayList<>();

    void add(String path, Certainty certainty, String text) {
        byPath.computeIfAbsent(path, p -> new ArrayList<>()).add(text + " (" + certainty.word() + ")");
    }

    /** A comment without a certainty: context, not a choice. */
    void plain(String path, String text) {
        byPath.computeIfAbsent(path, p -> new ArrayList<>()).add(text);
    }

    void todo(String text) {
        todos.add(text);
    }

    void summary(String line) {
        summary.add(line);
    }

    List<String> at(String path) {
        return byPath.getOrDefault(path, List.of());
    }

    List<String> todos() {
        return List.copyOf(todos);
    }

    List<String> summary() {
        return List.copyOf(summary);
    }
}
