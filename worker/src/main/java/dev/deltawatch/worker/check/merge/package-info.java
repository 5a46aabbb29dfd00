/**
 * The merge family: the database's merge function against a Java oracle of the declared
 * {@link dev.deltawatch.contracts.MergeContract}. Checks: {@code merge.differential} (records),
 * {@code merge.generated-column} (generated columns vs the oracle at their path), {@code merge.battery}
 * (adversarial and seeded generated cases with invariants and shrinking) and {@code merge.volatility}.
 * All reads are set-based, in read-only transactions; nothing is written to the target.
 */
package dev.deltawatch.worker.check.merge;
