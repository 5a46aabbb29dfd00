package dev.deltawatch.contracts;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The watched columns of one row at one point in time, as capture saw them.
 *
 * @param mirror  the mirror document; Java {@code null} (absent in JSON) when SQL NULL, a JSON null node when
 *                the column holds the jsonb value {@code null}
 * @param delta   the delta document, with the same convention
 * @param version the optimistic-locking version; {@code null} when the column was not present
 * @param complete false when the image is partial (replica identity not FULL, or a TOASTed value that
 *                 the WAL did not carry): comparisons on it would compare garbage
 */
public record RowImage(JsonNode mirror, JsonNode delta, Long version, boolean complete) {}
