package dev.deltawatch.worker.check;

/**
 * A check that watches the server's activity over a window and spends that window waiting, not querying: it reads
 * small statistics views a few times a second, holds no locks and leaves deltawatch's own sessions out of its
 * figures. A one-shot pass may therefore run it alongside the other checks instead of holding the pass up for
 * its whole window. Same contract as {@link Check} otherwise.
 */
public interface SamplingCheck extends Check {
}
