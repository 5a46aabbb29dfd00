package dev.deltawatch.worker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Figures of this process and machine from {@code /proc} (Linux); absent elsewhere. */
final class ProcessFigures {
    private ProcessFigures() {}

    /** The 1, 5 and 15 minute load averages as {@code /proc/loadavg} shows them; null where there is none. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return null;
        }
    }

    /** Resets the kernel's peak-RSS mark of this process (VmHWM), so a later reading covers only what follows. */
    static void resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException e) {
            // Not Linux or not permitted: the peak then covers the whole process, which the figure's doc says.
        }
    }

    /** Peak resident set (VmHWM) in MB; -1 where unknown. */
    static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
