/** The overrides example target's deterministic generator and COPY seeder (schema: db/overrides/, config: overrides-target.yaml). */
package dev.deltawatch.worker.target.overrides;
