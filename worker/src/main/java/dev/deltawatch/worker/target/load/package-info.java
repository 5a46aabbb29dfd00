/**
 * Load scenarios (read storm, write storm, mixed, bulk import) with HdrHistogram latencies, resource sampling,
 * {@code perf} findings for exceeded budgets, and JSON / self-contained HTML reports.
 */
package dev.deltawatch.worker.target.load;
