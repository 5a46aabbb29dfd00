package dev.deltawatch.worker.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.worker.findings.FindingLifecycle;
import dev.deltawatch.worker.findings.Observation;
import dev.deltawatch.worker.findings.SampleFindings;
import dev.deltawatch.worker.infra.WorkerMetrics;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real HTTP server on 127.0.0.1 that fails the first N requests. */
class WebhookChatSinkTest {
    private HttpServer server;
    private final AtomicInteger failFirst = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private final WorkerMetrics metrics = WorkerMetrics.create();

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            int n = requests.incrementAndGet();
            if (n <= failFirst.get()) {
                ex.sendResponseHeaders(503, -1);
            } else {
                delivered.add(new String(body, java.nio.charset.StandardCharsets.UTF_8));
                ex.sendResponseHeaders(200, -1);
            }
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        metrics.close();
    }

    private WebhookChatSink sink(int maxAttempts) {
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
        return new WebhookChatSink(new WebhookChatSink.Settings(url, maxAttempts, Duration.ofMillis(20),
                Duration.ofMillis(80), 10, Duration.ofSeconds(2)), metrics);
    }

    private static Finding opened() {
        return new FindingLifecycle().step(null, Observation.fail(SampleFindings.seqScan()), null, Instant.now())
                .announcement();
    }

    private double counter(String outcome) {
        return metrics.registry().get("deltawatch.chat.deliveries").tags("outcome", outcome).counter().count();
    }

    @Test
    void retriesWithBackoffUntilTheWebhookAcceptsTheSlackJson() throws Exception {
        failFirst.set(2);
        Finding f = opened();
        try (WebhookChatSink sink = sink(5)) {
            sink.publish(f);
            await(() -> delivered.size() == 1);
        }
        assertThat(requests.get()).isEqualTo(3);
        JsonNode json = new ObjectMapper().readTree(delivered.get(0));
        assertThat(json.get("text").asText()).isEqualTo(f.markdown());
        assertThat(counter("delivered")).isEqualTo(1);
        assertThat(counter("failed")).isZero();
    }

    @Test
    void countsAFailureWhenRetriesRunOutAndKeepsGoing() throws Exception {
        failFirst.set(3);
        try (WebhookChatSink sink = sink(3)) {
            sink.publish(opened());
            sink.publish(opened());
            await(() -> counter("failed") == 1 && counter("delivered") == 1);
        }
        assertThat(requests.get()).isEqualTo(4);
    }

    @Test
    void publishNeverBlocksAndDropsWhenTheQueueIsFull() {
        failFirst.set(Integer.MAX_VALUE);
        try (WebhookChatSink sink = sink(50)) {
            long started = System.nanoTime();
            for (int i = 0; i < 30; i++) {
                sink.publish(opened());
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
            assertThat(counter("dropped")).isGreaterThanOrEqualTo(19);
            failFirst.set(0); // let the queue drain so close() returns quickly
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }

}
