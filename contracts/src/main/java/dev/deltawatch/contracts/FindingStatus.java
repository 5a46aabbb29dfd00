package dev.deltawatch.contracts;

/** Lifecycle of a finding on the feed: one message per transition, never one per repeat. */
public enum FindingStatus {
    OPENED, UPDATED, RESOLVED, REGRESSED
}
