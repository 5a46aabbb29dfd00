/**
 * The reference target: the PFA mirror + delta schema (SQL migrations), its config, and (in later steps) the
 * seed and load tools. Checks reach a target only through {@code CheckContext}.
 */
package dev.deltawatch.worker.target;
