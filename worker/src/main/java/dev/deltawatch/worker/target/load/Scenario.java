package dev.deltawatch.worker.target.load;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The load scenarios of the DBRE methodology. Closed-loop scenarios (users issue the next operation when the last
 * returns) measure service time; the fixed-rate bulk import measures from each batch's intended start time, so a
 * stalled database shows as queueing latency instead of silently lowering the rate (coordinated omission).
 */
public enum Scenario {
    READ_STORM("read-storm", 100, 1.0),
    WRITE_STORM("write-storm", 50, 0.0),
    MIXED("mixed", 100, 0.7),
    BULK_IMPORT("bulk-import", 4, 0.0);

    private final String cliName;
    private final int defaultUsers;
    private final double readShare;

    Scenario(String cliName, int defaultUsers, double readShare) {
        this.cliName = cliName;
        this.defaultUsers = defaultUsers;
        this.readShare = readShare;
    }

    public String cliName() {
        return cliName;
    }

    public int defaultUsers() {
        return defaultUsers;
    }

    /** Share of a closed-loop user's operations that are reads (the rest are delta writes). */
    public double readShare() {
        return readShare;
    }

    public boolean fixedRate() {
        return this == BULK_IMPORT;
    }

    public static Scenario fromCli(String name) {
        return Arrays.stream(values()).filter(s -> s.cliName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Invalid value " + name + " for scenario: must be one of "
                        + Arrays.stream(values()).map(Scenario::cliName).collect(Collectors.joining(", "))));
    }
}
