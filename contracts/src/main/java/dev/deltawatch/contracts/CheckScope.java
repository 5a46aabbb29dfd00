package dev.deltawatch.contracts;

import java.util.List;

/**
 * What a check run covers.
 *
 * @param kind    {@link Kind#ALL}, a {@link Kind#SAMPLE} of records, named {@link Kind#RECORDS}, or named
 *                {@link Kind#OBJECTS} (queries, functions, tables)
 * @param ids     record keys for {@code RECORDS}; object names for {@code OBJECTS}; empty otherwise
 * @param sampleSize number of records for {@code SAMPLE}; 0 otherwise
 */
public record CheckScope(Kind kind, List<String> ids, int sampleSize) {

    public enum Kind { ALL, SAMPLE, RECORDS, OBJECTS }

    public CheckScope {
        Require.present(kind, "scope.kind");
        ids = Require.list(ids);
    }

    public static CheckScope all() {
        return new CheckScope(Kind.ALL, List.of(), 0);
    }

    public static CheckScope records(List<String> keys) {
        return new CheckScope(Kind.RECORDS, keys, 0);
    }

    public static CheckScope objects(List<String> names) {
        return new CheckScope(Kind.OBJECTS, names, 0);
    }

    public static CheckScope sample(int size) {
        return new CheckScope(Kind.SAMPLE, List.of(), size);
    }
}
