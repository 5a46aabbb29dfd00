package dev.deltawatch.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.worker.testing.TestInfrastructure;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

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
}
