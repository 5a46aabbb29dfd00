package dev.deltawatch.worker.infra;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * The worker's one HTTP port (the JDK's built-in server; no web framework):
 * <ul>
 *   <li>{@code GET /metrics}: Prometheus text format from {@link WorkerMetrics};</li>
 *   <li>{@code GET /health/live}: 200 while the process serves requests;</li>
 *   <li>{@code GET /health/ready}: 200 when every {@link ReadinessProbes} probe passes, else 503; the body
 *       names each probe and its answer, never an error text.</li>
 * </ul>
 */
public final class ObservabilityServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private ObservabilityServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds {@code host:port} ({@code 0} picks a free port) and starts serving. */
    public static ObservabilityServer start(String host, int port, WorkerMetrics metrics, ReadinessProbes probes) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
            server.createContext("/metrics", ex -> respond(ex, 200,
                    "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
            server.createContext("/health/live", ex -> respond(ex, 200, "application/json", "{\"status\":\"UP\"}"));
            server.createContext("/health/ready", ex -> ready(ex, probes));
            ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "deltawatch-http");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            server.start();
            return new ObservabilityServer(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve /metrics and /health on " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void ready(HttpExchange ex, ReadinessProbes probes) throws IOException {
        Map<String, Boolean> answers = probes.check();
        boolean up = answers.values().stream().allMatch(Boolean::booleanValue);
        String body = answers.entrySet().stream()
                .map(e -> "\"" + e.getKey().replace("\"", "'") + "\":" + e.getValue())
                .collect(Collectors.joining(",", "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"probes\":{", "}}"));
        respond(ex, up ? 200 : 503, "application/json", body);
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(status, "HEAD".equals(ex.getRequestMethod()) ? -1 : bytes.length);
            if (!"HEAD".equals(ex.getRequestMethod())) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
