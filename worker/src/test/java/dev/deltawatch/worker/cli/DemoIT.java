package dev.deltawatch.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.worker.testing.TestInfrastructure;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** `demo --once` with a smaller seed: every injected fault is detected and the clean target raises no alarm. */
class DemoIT {

    @Test
    void tourDetectsEveryInjectedFaultAndResolvesIt() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int code;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            code = Main.commandLine().execute("demo", "--once", "--rows", "20000", "--timeout-s", "90",
                    "--jdbc-url", TestInfrastructure.postgres().jdbcUrl(),
                    "--kafka-bootstrap", TestInfrastructure.kafka().bootstrapServers());
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        original.println(out);
        assertThat(out).contains("clean target: 0 BLOCKER, 0 HIGH").contains("3 of 3 injected faults detected")
                .contains("RESOLVED").contains("detected in");
        assertThat(code).isZero();
    }

    /** The other example targets' demo: their whole fault catalog, each fault in a database of its own. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"drafts", "overrides"})
    void catalogTourOfAnExampleTargetDetectsEveryInjectedFault(String target) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int code;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            code = Main.commandLine().execute("demo", "--once", "--target", target, "--rows", "5000",
                    "--jdbc-url", TestInfrastructure.postgres().jdbcUrl(),
                    "--kafka-bootstrap", TestInfrastructure.kafka().bootstrapServers());
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        original.println(out);
        assertThat(out).contains("clean target: 0 BLOCKER, 0 HIGH").doesNotContain("MISSED")
                .containsPattern("(\\d+) of \\1 injected faults detected").contains("detected: ");
        assertThat(code).isZero();
    }
}
