/**
 * Benchmarks and their reports. Each prints one JSON line; {@code run} never depends on this package.
 */
package dev.deltawatch.worker.bench;
