/**
 * Versioned message contracts shared by the worker and its readers (chat bots, dashboards).
 *
 * <p>Every message is an immutable record that carries {@code schemaVersion}. Readers decode with
 * {@link dev.deltawatch.contracts.Contracts}, which ignores unknown fields (so newer writers do not
 * break older readers) and rejects a message that lacks a required field, naming that field. The
 * JSON Schemas (draft 2020-12) under {@code dev/deltawatch/contracts/schemas/} describe the same
 * shapes for non-Java readers. This package depends on Jackson only.
 */
package dev.deltawatch.contracts;
