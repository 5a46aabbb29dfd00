/**
 * Publish: where findings, check runs and dead letters go (Kafka topics, chat webhooks). Never decides severity.
 */
package dev.deltawatch.worker.publish;
