/**
 * Realistic seed data for the reference target: a deterministic per-row generator and a parallel COPY loader that
 * drops and rebuilds secondary indexes on an empty table; {@link dev.deltawatch.worker.target.seed.CopyReference}
 * is the physical reference the seed benchmark compares against.
 */
package dev.deltawatch.worker.target.seed;
