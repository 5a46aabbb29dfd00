/**
 * The hygiene family: schema and runtime flaws that hurt at scale, the ones a DBRE rejects on sight and tools like
 * PgHero or Supabase's splinter find on demand: missing connection pooling, unbounded result sets, index and table
 * flaws, function hygiene (search_path, SECURITY DEFINER, volatility) and stored generated values gone stale after
 * a function change. {@link dev.deltawatch.worker.check.hygiene.HygieneChecks} builds the checks from
 * {@link dev.deltawatch.worker.check.hygiene.HygieneSettings}; {@link dev.deltawatch.worker.check.hygiene.HygieneTriggers}
 * tells the router which DDL re-runs which check. Catalog identifiers are quoted by the server
 * ({@code quote_ident}, {@code pg_get_expr}, {@code pg_get_indexdef}); values are always bound.
 */
package dev.deltawatch.worker.check.hygiene;
