package dev.deltawatch.worker.deploy;

import dev.deltawatch.worker.config.ConfigKey;
import dev.deltawatch.worker.config.WorkerConfigDef;
import dev.deltawatch.worker.infra.KafkaAddress;
import dev.deltawatch.worker.infra.PostgresAddress;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the deltawatch services of a {@link ComposeFile} in the order Compose would start them, against real
 * servers standing in for the file's PostgreSQL and Kafka services: a one-shot (a service another waits for with
 * {@code service_completed_successfully}) must exit 0 before the next starts; a long-running service must pass
 * its own healthcheck's HTTP request. Services of other images (Prometheus, Grafana) are not run.
 *
 * <p>Besides mapping hostnames, the environment gets names that keep this stack apart from others on the same
 * servers (metrics port, replication slot, topics, consumer group), exactly as a second stack would need.
 */
final class ComposeSequence implements AutoCloseable {
    static final String DOCKERFILE = "deploy/Dockerfile";
    private static final Pattern HEALTH_PORT = Pattern.compile("/dev/tcp/127\\.0\\.0\\.1/(\\d+)");
    private static final Pattern HEALTH_PATH = Pattern.compile("GET (\\S+) HTTP");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** A long-running service, started and ready. */
    record Running(String service, Process process, int metricsPort, Path log) {}

    private final Path root;
    private final ComposeFile compose;
    private final PostgresAddress database;
    private final KafkaAddress kafka;
    private final String isolation;
    private final Path work;
    private final List<Running> running = new ArrayList<>();
    private final StringBuilder transcript = new StringBuilder();

    ComposeSequence(Path root, ComposeFile compose, PostgresAddress database, KafkaAddress kafka, String isolation)
            throws IOException {
        this.root = root;
        this.compose = compose;
        this.database = database;
        this.kafka = kafka;
        this.isolation = isolation;
        // Under target/: the services' logs and files stay for a failure's reader, and `mvn clean` removes them.
        this.work = Files.createDirectories(Path.of("target", "compose-" + isolation));
    }

    /** Names the isolation gives: the check-runs topic, the slot. */
    String topic(ConfigKey key) {
        return topic(isolation, key);
    }

    static String topic(String isolation, ConfigKey key) {
        return isolation + "." + key.name().substring("deltawatch.kafka.topic.".length());
    }

    /**
     * What keeps one stack apart from others on the same servers: its own slot (slot names are per server),
     * consumer group and topics. The database is the caller's: a fresh one per stack.
     */
    static Map<String, String> isolationEnv(String isolation) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(WorkerConfigDef.SLOT.envName(), isolation);
        env.put(WorkerConfigDef.GROUP_ID.envName(), isolation);
        for (ConfigKey topic : List.of(WorkerConfigDef.TOPIC_CHANGES, WorkerConfigDef.TOPIC_FINDINGS,
                WorkerConfigDef.TOPIC_CHECK_RUNS, WorkerConfigDef.TOPIC_DLQ)) {
            env.put(topic.envName(), topic(isolation, topic));
        }
        return env;
    }

    String slot() {
        return isolation;
    }

    List<Running> running() {
        return running;
    }

    /** What ran, in order, with exit codes and the last lines of each service's output. */
    String transcript() {
        return transcript.toString();
    }

    /**
     * Starts every deltawatch service in order; returns false (the transcript says why) as soon as a one-shot
     * exits other than 0 or a long-running service does not pass its healthcheck within {@code readyWithin}.
     */
    boolean up(Duration readyWithin) throws IOException, InterruptedException {
        for (ComposeFile.Service s : compose.startOrder()) {
            if (!isDeltawatch(s)) {
                transcript.append(s.name()).append(": ").append(standIn(s)).append('\n');
                continue;
            }
            if (!(compose.isOneShot(s.name()) ? oneShot(s) : longRunning(s, readyWithin))) {
                return false;
            }
        }
        return true;
    }

    /** Runs the one-shot services again, as a second {@code docker compose up} does; false unless all exit 0. */
    boolean rerunOneShots() throws IOException, InterruptedException {
        for (ComposeFile.Service s : compose.startOrder()) {
            if (isDeltawatch(s) && compose.isOneShot(s.name()) && !oneShot(s)) {
                return false;
            }
        }
        return true;
    }

    private boolean isDeltawatch(ComposeFile.Service s) {
        if (DOCKERFILE.equals(s.dockerfile())) {
            return true;
        }
        return s.image() != null && compose.names().stream().map(compose::service)
                .anyMatch(o -> DOCKERFILE.equals(o.dockerfile()) && s.image().equals(o.image()));
    }

    private String standIn(ComposeFile.Service s) {
        String image = s.image() == null ? "" : s.image();
        if (image.startsWith("postgres:")) {
            return "the embedded PostgreSQL, database " + database.jdbcUrl();
        }
        if (image.startsWith("apache/kafka:")) {
            return "the embedded Kafka broker " + kafka.bootstrapServers();
        }
        return "not run (" + image + ")";
    }

    private boolean oneShot(ComposeFile.Service s) throws IOException, InterruptedException {
        Path log = work.resolve(s.name() + "-" + System.nanoTime() + ".log");
        Process p = start(s, Map.of(), log);
        boolean exited = p.waitFor(5, TimeUnit.MINUTES);
        if (!exited) {
            p.destroyForcibly().waitFor();
        }
        int code = exited ? p.exitValue() : -1;
        note(s.name() + " (one-shot) exited " + (exited ? code : "-- not within 5 min"), log);
        return code == 0;
    }

    private boolean longRunning(ComposeFile.Service s, Duration readyWithin) throws IOException, InterruptedException {
        String check = s.healthcheck();
        Matcher port = HEALTH_PORT.matcher(check);
        Matcher path = HEALTH_PATH.matcher(check);
        if (!port.find() || !path.find()) {
            throw new IllegalArgumentException(s.name() + ": no HTTP healthcheck this test can run: " + check);
        }
        if (!port.group(1).equals(WorkerConfigDef.METRICS_PORT.defaultValue())) {
            throw new IllegalArgumentException(s.name() + ": the healthcheck asks port " + port.group(1)
                    + ", the worker listens on " + WorkerConfigDef.METRICS_PORT.defaultValue());
        }
        int metricsPort = freePort();
        Path log = work.resolve(s.name() + ".log");
        Process p = start(s, Map.of(WorkerConfigDef.METRICS_PORT.envName(), Integer.toString(metricsPort)), log);
        URI health = URI.create("http://127.0.0.1:" + metricsPort + path.group(1));
        if (awaitReady(p, health, readyWithin)) {
            running.add(new Running(s.name(), p, metricsPort, log));
            note(s.name() + " ready: " + health, null);
            return true;
        }
        note(s.name() + (p.isAlive() ? " not ready within " + readyWithin.toSeconds() + " s"
                : " exited " + p.exitValue() + " before it was ready"), log);
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return false;
    }

    private Process start(ComposeFile.Service s, Map<String, String> extra, Path log) throws IOException {
        if (!s.node().path("entrypoint").isMissingNode()) {
            throw new IllegalArgumentException(s.name() + ": overrides the entrypoint; this test runs the image's");
        }
        Map<String, Path> binds = new LinkedHashMap<>();
        for (var v : s.node().path("volumes")) {
            String[] parts = v.asText().split(":");
            if (parts[0].startsWith("./")) {
                binds.put(parts[1], root.resolve(parts[0]));
            }
        }
        DeltawatchImage image = DeltawatchImage.layout(root, root.resolve(DOCKERFILE), binds,
                Files.createTempDirectory(work, s.name() + "-fs"));
        Map<String, String> env = new LinkedHashMap<>();
        s.environment(Map.of()).forEach((k, v) -> env.put(k, toStandIns(v)));
        env.putAll(isolationEnv(isolation));
        env.putAll(extra);
        List<String> args = s.command(Map.of()).stream().map(this::toStandIns).toList();
        if (args.isEmpty()) {
            throw new IllegalArgumentException(s.name() + ": no command");
        }
        transcript.append(s.name()).append(": deltawatch ").append(String.join(" ", args)).append('\n');
        return image.start(args, env, log);
    }

    /** Compose hostnames of the PostgreSQL and Kafka services, replaced by the real servers' addresses. */
    private String toStandIns(String value) {
        String out = value;
        for (String name : compose.names()) {
            String image = compose.service(name).image();
            if (image != null && image.startsWith("postgres:")) {
                out = out.replaceAll("jdbc:postgresql://" + Pattern.quote(name) + ":\\d+/\\w+",
                        Matcher.quoteReplacement(database.jdbcUrl()));
            } else if (image != null && image.startsWith("apache/kafka:")) {
                out = out.replaceAll("\\b" + Pattern.quote(name) + ":\\d+",
                        Matcher.quoteReplacement(kafka.bootstrapServers()));
            }
        }
        return out;
    }

    private void note(String line, Path log) throws IOException {
        transcript.append(line).append('\n');
        if (log != null && Files.exists(log)) {
            List<String> lines = Files.readAllLines(log);
            lines.subList(Math.max(0, lines.size() - 25), lines.size())
                    .forEach(l -> transcript.append("    | ").append(l).append('\n'));
        }
    }

    /** Polls {@code health} until it answers 200 (true), the process exits or the time is up (false). */
    static boolean awaitReady(Process p, URI health, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (answers200(health)) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    private static boolean answers200(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** SIGTERM to every long-running service, as {@code docker compose down}; kill -9 after 20 s. */
    @Override
    public void close() throws InterruptedException {
        for (Running r : running) {
            r.process().destroy();
            if (!r.process().waitFor(20, TimeUnit.SECONDS)) {
                r.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        running.clear();
    }
}
