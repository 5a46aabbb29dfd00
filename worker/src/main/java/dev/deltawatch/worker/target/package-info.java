/**
 * The reference target: the PFA mirror + delta schema (SQL migrations) and its config; {@code seed} generates
 * realistic volume for it and {@code load} drives it with the DBRE load scenarios. Checks reach a target only
 * through {@code CheckContext}.
 */
package dev.deltawatch.worker.target;
