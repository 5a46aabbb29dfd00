package dev.deltawatch.worker.target;

import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.merge.MergeDefect;

/** The subject grammar of a fault catalog's {@code Expect:} lines (see {@link FaultCatalog}), matched to findings. */
final class FaultSubjects {
    private FaultSubjects() {}

    /** Whether {@code actual} is the subject {@code expected} ({@code kind:name} in the catalog's grammar) names. */
    static boolean names(String expected, Subject actual) {
        int colon = expected.indexOf(':');
        String kind = expected.substring(0, colon);
        String name = expected.substring(colon + 1);
        String s = actual.name();
        return switch (kind) {
            case "document" -> actual.kind().equals("record") && (name.equals("*") || s.endsWith(name)
                    || s.contains("." + name))
                    // a group of documents (one merge defect): it names no document, so only "*" matches it
                    || actual.kind().equals(MergeDefect.SUBJECT_KIND) && name.equals("*");
            case "generated-column" -> {
                String table = name.substring(0, name.indexOf('.'));
                String column = name.substring(name.indexOf('.') + 1);
                yield s.contains(table) && (s.endsWith("#" + column) || s.endsWith("." + column));
            }
            // public.f, public.f#case (a battery case), public.f(arg text) (a signature, as hygiene names functions),
            // or a merge defect's subject that names the function
            case "function" -> actual.kind().equals("function") && (s.endsWith("." + name) || s.contains("." + name + "#")
                    || s.contains("." + name + "("))
                    || actual.kind().equals(MergeDefect.SUBJECT_KIND) && s.contains("." + name + " ");
            case "write-path" -> s.equals(name) || s.endsWith("." + name)
                    || name.equals("write.statement") && s.contains("write statement");
            case "edge-case" -> actual.kind().equals("edge-case") && (s.equals(name) || s.endsWith(": " + name));
            default -> actual.kind().equals(kind) && s.equals(name);
        };
    }
}
