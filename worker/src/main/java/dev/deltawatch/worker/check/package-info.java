/**
 * The check SPI. A {@link dev.deltawatch.worker.check.Check} is given a {@link dev.deltawatch.worker.check.CheckContext}
 * and a scope, runs against the target, and returns results: failures carry a finding, passes name the subject
 * they cleared (so an open finding on it can be resolved). Families live in sub-packages ({@code merge},
 * {@code plan}, {@code lock}, {@code edge}, {@code hygiene}), one class per check. No Kafka or Micrometer here.
 */
package dev.deltawatch.worker.check;
