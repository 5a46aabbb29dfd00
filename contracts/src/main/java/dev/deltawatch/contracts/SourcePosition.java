package dev.deltawatch.contracts;

import java.time.Instant;

/**
 * Where in the database's history a change happened.
 *
 * @param lsn        the WAL position of the change (PostgreSQL's textual {@code X/Y} form)
 * @param txId       the transaction id that committed it, when known
 * @param commitTime when the transaction committed
 */
public record SourcePosition(String lsn, Long txId, Instant commitTime) {
    public SourcePosition {
        Require.text(lsn, "source.lsn");
    }
}
