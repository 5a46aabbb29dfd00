/**
 * The running worker: wires capture, route, checks, findings, publish and metrics into one process according to
 * its roles, and stops them in order. Composition only; behaviour lives in the packages named after the flow.
 */
package dev.deltawatch.worker.runtime;
