package dev.deltawatch.contracts;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The watched columns of one row at one point in time, as capture saw them.
 *
 * @param mirror       what capture carries of the mirror document: only its lock-probe tag
 *                     ({@code {"deltawatch_probe": ...}}, see {@link #PROBE_TAG}) when it has one, else Java
 *                     {@code null} (absent in JSON). No check reads more of the mirror from a change (the merge checks
 *                     read the row itself), and the whole document is most of an event's bytes: kilobytes, twice under
 *                     REPLICA IDENTITY FULL, for every edit
 * @param delta        the delta document; Java {@code null} (absent in JSON) when SQL NULL or when this table does not
 *                     hold the delta, a JSON null node when the column holds the jsonb value {@code null}
 * @param version      an integer optimistic-locking version; {@code null} when this table does not hold it or the
 *                     version is a token
 * @param versionToken a token version (text, timestamptz, a hash: compared for change only) rendered as text;
 *                     {@code null} for integer versions, when this table does not hold it, or when SQL NULL
 * @param complete     false when the image is partial (replica identity not FULL, or a TOASTed value that
 *                     the WAL did not carry): comparisons on it would compare garbage
 */
public record RowImage(JsonNode mirror, JsonNode delta, Long version, String versionToken, boolean complete) {
    /** The key of a mirror document that marks a lock probe's own row. */
    public static final String PROBE_TAG = "deltawatch_probe";

    /** An image with an integer version (or none). */
    public RowImage(JsonNode mirror, JsonNode delta, Long version, boolean complete) {
        this(mirror, delta, version, null, complete);
    }
}
