/**
 * Reports of a one-shot {@code deltawatch check}: text for people, JSON for scripts, JUnit XML for CI, and a
 * single self-contained HTML page. They render what the checks found; they decide nothing.
 */
package dev.deltawatch.worker.publish.report;
