package dev.deltawatch.worker.check.hygiene;

/**
 * When one index makes another redundant. Both rows come from {@link IndexFlawsCheck}'s catalog query, where
 * {@code keys}, {@code opclasses} and {@code collations} are the space-separated text forms of the int2vector /
 * oidvector columns of {@code pg_index}.
 */
final class IndexShapes {
    private IndexShapes() {}

    /**
     * Why {@code index} is redundant given {@code other}: {@code "identical to"}, {@code "a left prefix of"}, or
     * null when it is not. Of two identical indexes exactly one is reported: a unique one is kept over a
     * non-unique one, otherwise the older (lower oid) is kept.
     */
    static String redundancy(Row index, Row other) {
        if (index.lng("oid") == other.lng("oid") || index.lng("table_oid") != other.lng("table_oid")
                || !index.str("am").equals(other.str("am")) || !index.str("exprs").equals(other.str("exprs"))
                || !index.str("pred").equals(other.str("pred")) || !other.bool("valid")) {
            return null;
        }
        boolean sameKeys = index.str("keys").equals(other.str("keys"))
                && index.str("opclasses").equals(other.str("opclasses"))
                && index.str("collations").equals(other.str("collations"));
        if (sameKeys) {
            boolean keepOther = other.bool("is_unique") && !index.bool("is_unique")
                    || other.bool("is_unique") == index.bool("is_unique") && other.lng("oid") < index.lng("oid");
            return keepOther ? "identical to" : null;
        }
        // Only a non-unique B-tree over plain columns is served by a longer index that starts with its columns.
        boolean prefix = "btree".equals(index.str("am")) && !index.bool("is_unique") && index.str("exprs").isEmpty()
                && startsWithWords(other.str("keys"), index.str("keys"))
                && startsWithWords(other.str("opclasses"), index.str("opclasses"));
        return prefix ? "a left prefix of" : null;
    }

    private static boolean startsWithWords(String longer, String shorter) {
        return longer.startsWith(shorter + " ");
    }
}
