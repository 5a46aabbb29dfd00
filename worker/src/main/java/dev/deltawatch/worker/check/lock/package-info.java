/**
 * The lock family: active probes through the target's declared write path on probe documents (same-version race,
 * N-way lost update, stale write, deadlock), placed per layout by {@link dev.deltawatch.worker.check.lock.ProbeRows}
 * and verdicts counted only after a sanity write succeeded ({@link dev.deltawatch.worker.check.lock.ProbeFixture}), read-only checks (role settings, blocking chains), the Hermitage
 * isolation matrix on deltawatch's own tables, and the passive version-discipline check the router feeds with
 * captured change events. Every probe transaction runs under statement, lock and idle-in-transaction timeouts and
 * leaves nothing behind: probe rows and probe deltas are deleted after each probe and swept when their creator is gone.
 */
package dev.deltawatch.worker.check.lock;
