/**
 * Configuration: immutable records and one validating loader per file kind. Errors name the field, the value
 * and the rule; nothing starts until configuration is valid. Nothing outside this package reads files of
 * configuration.
 */
package dev.deltawatch.worker.config;
