package dev.deltawatch.worker.findings;

import dev.deltawatch.contracts.Evidence;
import dev.deltawatch.contracts.Finding;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Decides whether a repeat of an open finding says something new enough to announce (UPDATED).
 *
 * <p>Material: a different severity; a different list of evidence items (labels and formats, in order); or
 * evidence content that differs once every number is masked. Not material: timings, row counts, costs, buffer
 * figures, occurrence counts — anything that is only a different measurement of the same problem. So a plan
 * going from a Seq Scan to a Bitmap Heap Scan, or a merge diff whose first differing path moves from
 * {@code $.dates.start} to {@code $.billing}, is announced; "1250 ms" becoming "1310 ms" is not.
 * Always compared with the last <em>announced</em> version, so slow drift cannot hide behind small steps.
 *
 * <p>A group ({@link DefectGroups}) is one defect whatever records show it: its count, share and example records
 * change with every run's scope, so for a group only the severity is material.
 */
public final class MaterialChange {
    private static final Pattern NUMBER = Pattern.compile("\\d[\\d.,_:eE+-]*");
    private static final Pattern SPACE = Pattern.compile("\\s+");
    /** Content beyond this is not compared: it is not what a reader sees first, and huge strings cost time. */
    private static final int COMPARED_CHARS = 4096;

    private MaterialChange() {}

    public static boolean between(Finding announced, Finding observed) {
        if (announced.severity() != observed.severity()) {
            return true;
        }
        if (DefectGroups.isGroup(announced) && DefectGroups.isGroup(observed)) {
            return false;
        }
        List<Evidence> a = announced.evidence();
        List<Evidence> b = observed.evidence();
        if (a.size() != b.size()) {
            return true;
        }
        for (int i = 0; i < a.size(); i++) {
            Evidence x = a.get(i);
            Evidence y = b.get(i);
            if (!x.label().equals(y.label()) || !x.format().equals(y.format())
                    || !x.content().equals(y.content()) && !Objects.equals(shape(x.content()), shape(y.content()))) {
                return true;
            }
        }
        return false;
    }

    /** The content with numbers masked and whitespace collapsed: what stays when only measurements change. */
    static String shape(String content) {
        String head = content.length() > COMPARED_CHARS ? content.substring(0, COMPARED_CHARS) : content;
        return SPACE.matcher(NUMBER.matcher(head).replaceAll("#")).replaceAll(" ").trim();
    }
}
