/**
 * {@code deltawatch init}: a target config discovered from the catalog of a staging database, read-only, every
 * choice explained. {@link dev.deltawatch.worker.discover.Discovery} runs the steps in order, each a small class: the
 * layout ({@code LayoutDiscovery}: jsonb pairs on one row, or a delta table referencing the mirror's key, with an
 * owner where a unique constraint says so), the write path ({@code WritePathDiscovery}: a function that writes the
 * delta and raises on a version mismatch, its SQLSTATE, message and argument roles read from the body), the version
 * ({@code VersionDiscovery}), the merge ({@code MergeDiscovery}: a (jsonb, jsonb) -> jsonb function or {@code ||},
 * from generated columns, views and functions), generated columns ({@code GeneratedColumnDiscovery}, from
 * {@code pg_get_expr}), the merge contract ({@link dev.deltawatch.worker.discover.ContractInference}), probes
 * ({@code ProbeDiscovery}) and queries ({@code QueryDiscovery}: pg_stat_statements, parameters drawn from the data by
 * {@code ParameterDraws}, else {@code GenericPlan}). {@code ConfigYamlWriter} writes the notes as comments beside the
 * fields they explain. Nothing here writes to the database: discovery runs in a read-only transaction that is rolled
 * back.
 */
package dev.deltawatch.worker.discover;
