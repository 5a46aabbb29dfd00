/**
 * The example targets ({@link dev.deltawatch.worker.target.ExampleTargets}: reference, drafts, overrides): their
 * migrations and configs (resources), seeders ({@code seed}, {@code drafts}, {@code overrides}) and machine-readable
 * fault catalogs ({@link dev.deltawatch.worker.target.FaultCatalog}); {@code load} drives the reference target with
 * the DBRE load scenarios. Checks reach a target only through {@code CheckContext}.
 */
package dev.deltawatch.worker.target;
