package dev.deltawatch.worker.check;

import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.findings.DefectGroups;
import dev.deltawatch.worker.findings.RunMembers;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The results of a check over every record, with the passes held as little more than their subjects' names: a full
 * pass over 1M records judges one to three results per record, and as {@link CheckResult} objects (each with its
 * {@link Subject} and name) they took about 750 bytes a record, more than a 512 MB heap holds at 1M records. Here a
 * pass costs its name's bytes after a shared prefix ({@code public.pfa_records/}) plus an int; each is made a
 * {@code CheckResult} again when read, and dropped after. Failures, skips and passes of other shapes are kept as they
 * are, before the compact passes; order is not key order then, which no reader of results relies on.
 *
 * <p>Append with {@link #add}, then hand it on; once {@link #sealed} (as a run's record takes it) it is read-only.
 * Not thread-safe while being filled.
 */
public final class CompactResults extends AbstractList<CheckResult> implements RandomAccess {
    private final List<CheckResult> kept = new ArrayList<>();
    private final List<Passes> passes = new ArrayList<>(2);
    private int size;
    private boolean sealed;

    /** This list, read-only from now on: a run's record keeps it without copying (a copy would undo the point). */
    public CompactResults sealed() {
        sealed = true;
        return this;
    }

    @Override
    public boolean add(CheckResult r) {
        Objects.requireNonNull(r, "result");
        if (sealed) {
            throw new UnsupportedOperationException("results are sealed");
        }
        if (!r.failed() && r.skipped() == null) {
            for (Passes p : passes) {
                if (p.accepts(r)) {
                    p.add(r.subject().name());
                    size++;
                    return true;
                }
            }
            Passes fresh = Passes.of(r);
            if (fresh != null && passes.size() < 8) {
                passes.add(fresh);
                fresh.add(r.subject().name());
                size++;
                return true;
            }
        }
        kept.add(r);
        size++;
        return true;
    }

    @Override
    public boolean addAll(Collection<? extends CheckResult> results) {
        if (results instanceof CompactResults other && !sealed) {
            // Batch by batch into a run's results: the passes move as names, never made results and back.
            other.kept.forEach(this::add);
            for (Passes from : other.passes) {
                Passes into = passes.stream().filter(p -> p.sameBlockAs(from)).findFirst().orElse(null);
                if (into == null && passes.size() < 8) {
                    into = from.emptyCopy();
                    passes.add(into);
                }
                if (into == null) {
                    for (int i = 0; i < from.count; i++) {
                        kept.add(from.get(i));
                    }
                } else {
                    into.addAll(from);
                }
                size += from.count;
            }
            return !other.isEmpty();
        }
        results.forEach(this::add);
        return !results.isEmpty();
    }

    @Override
    public CheckResult get(int index) {
        Objects.checkIndex(index, size);
        if (index < kept.size()) {
            return kept.get(index);
        }
        int i = index - kept.size();
        for (Passes p : passes) {
            if (i < p.count) {
                return p.get(i);
            }
            i -= p.count;
        }
        throw new IllegalStateException("index " + index + " within size " + size + " but in no part");
    }

    @Override
    public int size() {
        return size;
    }

    /**
     * How many of {@code results} failed. For compact results only the kept ones are looked at: the passes are
     * passes by construction, and reading them would make a {@link CheckResult} per record of a full pass.
     */
    public static int failures(List<CheckResult> results) {
        List<CheckResult> candidates = results instanceof CompactResults compact ? compact.kept : results;
        int failures = 0;
        for (CheckResult r : candidates) {
            if (r.failed()) {
                failures++;
            }
        }
        return failures;
    }

    /** The results as the grouping step sees them, made one at a time as they are read. */
    public static List<DefectGroups.Member> members(List<CheckResult> results) {
        return new AbstractList<>() {
            @Override
            public DefectGroups.Member get(int index) {
                return results.get(index).member();
            }

            @Override
            public int size() {
                return results.size();
            }
        };
    }

    /**
     * The results as the grouping step reads them: failures and counts come from what is kept whole and from each
     * block of passes as a whole; a pass is made a member only for the rules grouping asks to see passes of. A
     * plain list is read member by member.
     */
    public static RunMembers grouping(List<CheckResult> results) {
        if (!(results instanceof CompactResults compact)) {
            return RunMembers.of(members(results));
        }
        RunMembers kept = RunMembers.of(members(compact.kept));
        return new RunMembers() {
            @Override
            public List<DefectGroups.Member> failures() {
                return kept.failures(); // a pass block holds passes only
            }

            @Override
            public Map<String, Long> checked() {
                Map<String, Long> out = kept.checked();
                for (Passes p : compact.passes) {
                    out.merge(p.rule, (long) p.count, Long::sum);
                }
                return out;
            }

            @Override
            public long carrying(String rule, Subject defect) {
                long n = kept.carrying(rule, defect);
                for (Passes p : compact.passes) {
                    n += p.carries(rule, defect) ? p.count : 0;
                }
                return n;
            }

            @Override
            public boolean passCarries(String rule, Subject defect) {
                return kept.passCarries(rule, defect)
                        || compact.passes.stream().anyMatch(p -> p.count > 0 && p.carries(rule, defect));
            }

            @Override
            public void forEachPass(Set<String> rules, Consumer<DefectGroups.Member> action) {
                kept.forEachPass(rules, action);
                for (Passes p : compact.passes) {
                    if (rules.contains(p.rule)) {
                        for (int i = 0; i < p.count; i++) {
                            action.accept(p.get(i).member());
                        }
                    }
                }
            }
        };
    }

    /** Passes of one rule, subject kind and defect whose subject names start with one prefix. */
    private static final class Passes {
        private final String rule;
        private final String kind;
        private final Subject defect;
        private final String prefix;
        private final StringBuilder names = new StringBuilder();
        private int[] ends = new int[1024];
        private int count;

        private Passes(String rule, String kind, Subject defect, String prefix) {
            this.rule = rule;
            this.kind = kind;
            this.defect = defect;
            this.prefix = prefix;
        }

        /** Null when the name has no prefix worth sharing (no {@code /}). */
        static Passes of(CheckResult r) {
            String name = r.subject().name();
            int slash = name.indexOf('/');
            return slash < 0 ? null
                    : new Passes(r.rule(), r.subject().kind(), r.defect(), name.substring(0, slash + 1));
        }

        boolean sameBlockAs(Passes other) {
            return rule.equals(other.rule) && kind.equals(other.kind) && Objects.equals(defect, other.defect)
                    && prefix.equals(other.prefix);
        }

        Passes emptyCopy() {
            return new Passes(rule, kind, defect, prefix);
        }

        void addAll(Passes other) {
            int base = names.length();
            names.append(other.names);
            if (count + other.count > ends.length) {
                ends = Arrays.copyOf(ends, Math.max(ends.length * 2, count + other.count));
            }
            for (int i = 0; i < other.count; i++) {
                ends[count++] = base + other.ends[i];
            }
        }

        boolean carries(String rule, Subject defect) {
            return this.rule.equals(rule) && Objects.equals(this.defect, defect);
        }

        boolean accepts(CheckResult r) {
            return r.rule().equals(rule) && r.subject().kind().equals(kind) && Objects.equals(r.defect(), defect)
                    && r.subject().name().startsWith(prefix);
        }

        void add(String name) {
            if (count == ends.length) {
                ends = Arrays.copyOf(ends, count * 2);
            }
            names.append(name, prefix.length(), name.length());
            ends[count++] = names.length();
        }

        CheckResult get(int i) {
            int start = i == 0 ? 0 : ends[i - 1];
            return new CheckResult(rule, new Subject(kind, prefix + names.substring(start, ends[i])), null, null,
                    defect);
        }
    }
}
