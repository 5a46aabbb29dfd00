package dev.deltawatch.worker.capture;

/** PostgreSQL's textual LSN form, {@code X/Y} in upper-case hex, as {@code pg_lsn} prints it. */
final class Lsn {
    private Lsn() {}

    static String format(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
    }
}
