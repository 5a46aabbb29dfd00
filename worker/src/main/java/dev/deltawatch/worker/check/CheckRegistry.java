package dev.deltawatch.worker.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The checks a worker runs, by name and family. Closing the registry closes every check. */
public final class CheckRegistry implements AutoCloseable {
    private final Map<String, Check> byName = new LinkedHashMap<>();

    public CheckRegistry(Collection<? extends Check> checks) {
        for (Check c : checks) {
            if (byName.putIfAbsent(c.name(), c) != null) {
                throw new IllegalArgumentException("two checks are named " + c.name());
            }
        }
    }

    public List<Check> all() {
        return List.copyOf(byName.values());
    }

    public List<Check> families(Set<String> families) {
        List<Check> out = new ArrayList<>();
        for (Check c : byName.values()) {
            if (families.contains(c.family())) {
                out.add(c);
            }
        }
        return out;
    }

    public Check named(String name) {
        Check c = byName.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no check named " + name + "; known: " + byName.keySet());
        }
        return c;
    }

    @Override
    public void close() {
        byName.values().forEach(Check::close);
    }
}
