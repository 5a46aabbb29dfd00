/** The drafts example target's deterministic generator and COPY seeder (schema: db/drafts/, config: drafts-target.yaml). */
package dev.deltawatch.worker.target.drafts;
