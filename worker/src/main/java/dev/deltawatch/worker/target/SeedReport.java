package dev.deltawatch.worker.target;

import java.io.PrintWriter;

/** What a seed run did, printed for the user (stdout); progress went to stderr while it ran. */
public interface SeedReport {
    void print(PrintWriter out);
}
