package dev.deltawatch.contracts;

/**
 * What a finding or check run is about: a record, a query, a function, a table, an index, a setting...
 *
 * @param kind e.g. {@code record}, {@code query}, {@code function}, {@code table}, {@code index}, {@code setting}
 * @param name the identity within that kind, e.g. {@code public.pfa_records/42} or a registered query's name
 */
public record Subject(String kind, String name) {
    public Subject {
        Require.text(kind, "subject.kind");
        Require.text(name, "subject.name");
    }

    @Override
    public String toString() {
        return kind + ":" + name;
    }
}
