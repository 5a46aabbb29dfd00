package dev.deltawatch.worker.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.contracts.ContractException;
import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.worker.config.ConfigException;
import dev.deltawatch.worker.config.TargetConfigLoader;
import dev.deltawatch.worker.config.WorkerConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Poison input: at least 10,000 malformed or random inputs through the change-event decoder and the config
 * parsers. Each must be decoded or refused with the contract's or the config's own exception, never anything
 * else (an uncaught exception would kill the consumer loop or print a stack trace at the user).
 */
class PoisonInputTest {
    private static final int CASES = 10_000;
    private static final long SEED = 20261126L;

    @Test
    void changeEventDecoderRefusesGarbageOnlyWithContractException() throws IOException {
        String valid = resource("/contract-examples/change-event.json");
        Random random = new Random(SEED);
        int decoded = 0;
        int refused = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] input = mutate(valid, random).getBytes(StandardCharsets.UTF_8);
            try {
                Contracts.decode(input, ChangeEvent.class);
                decoded++;
            } catch (ContractException e) {
                assertThat(e.getMessage()).startsWith("invalid ChangeEvent");
                refused++;
            }
        }
        assertThat(decoded + refused).isEqualTo(CASES);
        assertThat(refused).as("the mutations really break messages").isGreaterThan(CASES / 2);
    }

    @Test
    void configParsersRefuseGarbageOnlyWithConfigException() throws IOException {
        String worker = resource("/contract-examples/worker.yaml");
        String target = resource("/reference-target.yaml");
        Random random = new Random(SEED + 1);
        int refused = 0;
        for (int i = 0; i < CASES; i++) {
            try {
                WorkerConfigLoader.parse(mutate(worker, random), "fuzz", Map.of(), List.of());
            } catch (ConfigException e) {
                refused++;
            }
            try {
                TargetConfigLoader.parse(mutate(target, random), "fuzz");
            } catch (ConfigException e) {
                refused++;
            }
        }
        assertThat(refused).as("the mutations really break configs").isGreaterThan(CASES / 2);
    }

    /** One of: random bytes, truncation, a flipped character, a duplicated or deleted slice, a type swap. */
    static String mutate(String valid, Random random) {
        switch (random.nextInt(6)) {
            case 0 -> {
                StringBuilder sb = new StringBuilder();
                int n = random.nextInt(200);
                for (int i = 0; i < n; i++) {
                    sb.append((char) random.nextInt(0x3000));
                }
                return sb.toString();
            }
            case 1 -> {
                return valid.substring(0, random.nextInt(valid.length()));
            }
            case 2 -> {
                char[] c = valid.toCharArray();
                for (int k = 0; k <= random.nextInt(4); k++) {
                    c[random.nextInt(c.length)] = "{}[]:,\"'\\ 0-9\ntrue".charAt(random.nextInt(18));
                }
                return new String(c);
            }
            case 3 -> {
                int a = random.nextInt(valid.length());
                int b = Math.min(valid.length(), a + random.nextInt(60));
                return valid.substring(0, a) + valid.substring(a, b) + valid.substring(a);
            }
            case 4 -> {
                int a = random.nextInt(valid.length());
                int b = Math.min(valid.length(), a + random.nextInt(60));
                return valid.substring(0, a) + valid.substring(b);
            }
            default -> {
                return valid.replaceFirst("\\d+", random.nextBoolean() ? "\"x\"" : "[1,{}]")
                        .replaceFirst("\"[A-Z_]+\"", random.nextBoolean() ? "null" : "42");
            }
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = PoisonInputTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
