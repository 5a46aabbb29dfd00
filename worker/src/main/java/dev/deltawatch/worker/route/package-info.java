/**
 * Route: the consumer loop that sends changes to the affected check families, coalescing bursts. Owns offset
 * commits. No SQL, no findings.
 */
package dev.deltawatch.worker.route;
