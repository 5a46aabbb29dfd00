/**
 * Capture: wraps the Debezium embedded engine and turns its records into {@code ChangeEvent}s on Kafka.
 * Knows nothing of checks.
 */
package dev.deltawatch.worker.capture;
