package dev.deltawatch.worker.publish;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.worker.infra.WorkerMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts each transition's Markdown to a chat webhook as Slack-compatible JSON ({@code {"text": "..."}}).
 *
 * <p>Best effort and never in the checks' way: {@link #publish} only enqueues (a full queue drops the message and
 * counts it); one daemon thread delivers, retrying a failed POST (non-2xx or I/O error) with exponential backoff
 * up to {@code maxAttempts}, then counts it as failed and moves on. The feed topic stays the record of truth.
 */
public final class WebhookChatSink implements FindingSink {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookChatSink.class);

    /**
     * @param initialBackoff wait after the first failure; doubles per attempt up to {@code maxBackoff}
     */
    public record Settings(URI url, int maxAttempts, Duration initialBackoff, Duration maxBackoff, int queueCapacity,
                           Duration requestTimeout) {
        public Settings {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("Invalid value " + maxAttempts
                        + " for configuration deltawatch.chat.webhook.max.attempts: must be >= 1");
            }
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("Invalid value " + queueCapacity
                        + " for configuration deltawatch.chat.webhook.queue.capacity: must be >= 1");
            }
        }

        public static Settings defaults(URI url) {
            return new Settings(url, 5, Duration.ofMillis(500), Duration.ofSeconds(30), 1000, Duration.ofSeconds(10));
        }
    }

    private final Settings settings;
    private final WorkerMetrics metrics;
    private final HttpClient http;
    private final BlockingQueue<String> queue;
    private final Thread sender;
    private volatile boolean running = true;

    public WebhookChatSink(Settings settings, WorkerMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        this.http = HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).build();
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.sender = new Thread(this::deliverLoop, "deltawatch-chat-webhook");
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public void publish(Finding finding) {
        if (finding.markdown() == null || !queue.offer(finding.markdown())) {
            metrics.chatDelivery("dropped");
            LOG.warn("chat-webhook: queue full ({}), dropped the message for {}", settings.queueCapacity(),
                    finding.fingerprint());
        }
    }

    /** Messages waiting, for tests and diagnostics. */
    public int pending() {
        return queue.size();
    }

    private void deliverLoop() {
        while (running || !queue.isEmpty()) {
            try {
                String text = queue.poll(200, TimeUnit.MILLISECONDS);
                if (text != null) {
                    metrics.chatDelivery(deliver(text) ? "delivered" : "failed");
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean deliver(String text) throws InterruptedException {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("text", text);
        HttpRequest request = HttpRequest.newBuilder(settings.url()).timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        Duration backoff = settings.initialBackoff();
        String last = "";
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            try {
                HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() / 100 == 2) {
                    return true;
                }
                last = "HTTP " + response.statusCode();
            } catch (java.io.IOException e) {
                last = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            if (attempt < settings.maxAttempts()) {
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff()
                        : backoff.multipliedBy(2);
            }
        }
        LOG.warn("chat-webhook: giving up after {} attempts: {}", settings.maxAttempts(), last);
        return false;
    }

    /** Stops taking messages and gives the sender up to 5 s to drain the queue. */
    @Override
    public void close() {
        running = false;
        try {
            sender.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.interrupt();
    }
}
