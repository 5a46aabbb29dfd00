/**
 * Infrastructure: where PostgreSQL and Kafka come from (environment, Testcontainers, or embedded), connection
 * pools and Kafka client factories. No domain rules live here.
 */
package dev.deltawatch.worker.infra;
