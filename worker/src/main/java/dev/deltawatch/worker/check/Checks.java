package dev.deltawatch.worker.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The one place every check is registered. Families add their checks here. */
public final class Checks {
    private Checks() {}

    /** New instances of every check of the given families. */
    public static CheckRegistry forFamilies(Set<String> families) {
        List<Check> all = new ArrayList<>();
        return new CheckRegistry(all.stream().filter(c -> families.contains(c.family())).toList());
    }
}
