/**
 * Findings: building them with a stable fingerprint, severity, lifecycle and rendering. Pure code, no I/O.
 */
package dev.deltawatch.worker.findings;
