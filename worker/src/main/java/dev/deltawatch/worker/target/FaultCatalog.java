package dev.deltawatch.worker.target;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An example target's fault catalog, machine-readable so a test can iterate "every fault -> the rule it must trip
 * on the subject it must name". {@code <folder>/index.txt} lists the faults in order ({@code family/NN_name.sql},
 * {@code #} comments); each fault's header comments carry its expectations:
 *
 * <pre>
 * -- Fault: what regressed and why it is realistic (continued on following "--" lines)
 * -- Expect: &lt;check name&gt; &lt;rule&gt; @ &lt;subject kind&gt;:&lt;subject name&gt;   (one or more)
 * -- Exercise: &lt;SQL run after the fault is applied&gt;                  (optional, one or more)
 * -- Rows: &lt;the fewest seeded records at which it is observable&gt;    (optional)
 * </pre>
 *
 * Subject names: {@code document:<table>/<key>[ owner <owner>]} or {@code document:*} (any seeded document of the
 * layout), {@code function:<name>}, {@code write-path:<function>} or {@code write-path:write.statement},
 * {@code query:<registered query>}, {@code generated-column:<table>.<column>}, {@code index:<name>},
 * {@code edge-case:<case name>}; any other {@code <kind>:<name>} names a finding's subject exactly (the hygiene
 * checks' {@code table:}, {@code column:}, {@code constraint:}). An Exercise line is the application activity that
 * makes a passive rule observable (an unversioned bulk write, say); the fault alone only installs the code that does
 * it. In the body, a statement after a {@code -- expect-error} line is run on its own and may fail: that failure is
 * the fault (see {@code runtime.FaultInjection}).
 */
public record FaultCatalog(String folder, List<Fault> faults) {
    public static final String INDEX = "index.txt";

    /** What one fault must trip. */
    public record Expectation(String check, String rule, String subject) {
        /** The family of the check, e.g. {@code merge} for {@code merge.differential}. */
        public String family() {
            return check.substring(0, check.indexOf('.'));
        }

        /** Whether one of {@code findings} (of this expectation's check) is this rule on the subject it names. */
        public boolean metBy(List<dev.deltawatch.contracts.Finding> findings) {
            return findings.stream().anyMatch(f -> f.rule().equals(rule) && FaultSubjects.names(subject, f.subject()));
        }
    }

    /**
     * One regression: a migration applied on top of the clean, seeded target.
     *
     * @param minRows the fewest seeded records at which the fault is observable (plan rules judge tables over 10K
     *                rows); 0 when any size will do ({@code -- Rows: N} in the header)
     */
    /**
     * @param consequences findings the fault may also cause ({@code -- Also:} lines), not required to detect it: a
     *                     query whose plan the fault also changes, say, where the plan the planner picks depends on
     *                     the data's size
     */
    public record Fault(String family, String resource, String story, List<Expectation> expectations,
                        List<String> exercise, long minRows, List<Expectation> consequences) {
        /** The fault's SQL (the whole file, header included). */
        public String sql() {
            return read(resource);
        }
    }

    public FaultCatalog {
        faults = List.copyOf(faults);
    }

    public static FaultCatalog empty() {
        return new FaultCatalog(null, List.of());
    }

    /** Reads the index and every listed fault's header; a listed file without an Expect line is an error. */
    public static FaultCatalog load(String folder) {
        List<Fault> faults = new ArrayList<>();
        for (String line : read(folder + "/" + INDEX).split("\n")) {
            String entry = line.strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            int slash = entry.indexOf('/');
            if (slash < 1) {
                throw new IllegalStateException(folder + "/" + INDEX + ": '" + entry + "' is not family/NN_name.sql");
            }
            faults.add(parse(entry.substring(0, slash), folder + "/" + entry));
        }
        return new FaultCatalog(folder, faults);
    }

    static Fault parse(String family, String resource) {
        StringBuilder story = new StringBuilder();
        List<Expectation> expectations = new ArrayList<>();
        List<String> exercise = new ArrayList<>();
        List<Expectation> consequences = new ArrayList<>();
        long minRows = 0;
        String section = "";
        for (String raw : read(resource).split("\n")) {
            if (!raw.startsWith("--")) {
                break;
            }
            String text = raw.substring(2).strip();
            if (text.startsWith("Fault:")) {
                section = "fault";
                story.append(text.substring("Fault:".length()).strip());
            } else if (text.startsWith("Expect:")) {
                section = "expect";
                expectations.add(expectation(resource, text.substring("Expect:".length()).strip()));
            } else if (text.startsWith("Also:")) {
                section = "also";
                consequences.add(expectation(resource, text.substring("Also:".length()).strip()));
            } else if (text.startsWith("Rows:")) {
                minRows = Long.parseLong(text.substring("Rows:".length()).strip().split("\\s+")[0].replace(",", ""));
            } else if (text.startsWith("Exercise:")) {
                section = "exercise";
                exercise.add(text.substring("Exercise:".length()).strip());
            } else if (section.equals("fault") && !text.isEmpty()) {
                story.append(' ').append(text);
            }
        }
        if (expectations.isEmpty()) {
            throw new IllegalStateException(resource + ": no '-- Expect: <check> <rule> @ <subject>' header line");
        }
        return new Fault(family, resource, story.toString(), expectations, exercise, minRows, consequences);
    }

    private static Expectation expectation(String resource, String text) {
        int at = text.indexOf(" @ ");
        String[] checkRule = at < 0 ? new String[0] : text.substring(0, at).strip().split("\\s+");
        if (checkRule.length != 2 || !text.substring(at + 3).contains(":")) {
            throw new IllegalStateException(resource + ": Expect line '" + text
                    + "' is not '<check> <rule> @ <kind>:<subject>'");
        }
        return new Expectation(checkRule[0], checkRule[1], text.substring(at + 3).strip());
    }

    private static String read(String resource) {
        try (InputStream in = FaultCatalog.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("fault catalog resource " + resource + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource + ": " + e.getMessage(), e);
        }
    }
}
