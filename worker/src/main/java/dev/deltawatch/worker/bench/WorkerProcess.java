package dev.deltawatch.worker.bench;

import dev.deltawatch.worker.cli.Main;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code deltawatch run} in a child process, as it runs in a deployment: started from this JVM's class path,
 * probed over its health endpoint, and stopped by a signal ({@link #kill()} is kill -9, {@link #terminate} is
 * SIGTERM). Its output goes to a log file, whose tail {@link #logTail} shows when a scenario fails.
 */
public final class WorkerProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Process process;
    private final int metricsPort;
    private final Path log;

    private WorkerProcess(Process process, int metricsPort, Path log) {
        this.process = process;
        this.metricsPort = metricsPort;
        this.log = log;
    }

    /**
     * Starts {@code deltawatch run --config config} with {@code env} added to this process's environment (secrets
     * such as {@code DELTAWATCH_DATABASE_PASSWORD}); the config must set {@code deltawatch.metrics.port}.
     */
    public static WorkerProcess start(Path config, Map<String, String> env, int metricsPort, Path log) {
        return start(config, env, metricsPort, log, List.of("-Xmx1g", "-XX:+UseSerialGC"));
    }

    /** As {@link #start(Path, Map, int, Path)}, with the given JVM options instead of the default heap settings. */
    public static WorkerProcess start(Path config, Map<String, String> env, int metricsPort, Path log,
                                      List<String> jvmOptions) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", "--config",
                config.toString()));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(log.toFile()));
            // The config file says everything: no DELTAWATCH_* variable of this process may override it.
            builder.environment().keySet().removeIf(k -> k.startsWith("DELTAWATCH_"));
            builder.environment().putAll(env);
            Process p = builder.start();
            return new WorkerProcess(p, metricsPort, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the worker process: " + e.getMessage(), e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Whether {@code /health/ready} answers 200 now (false when it does not answer within 2 s). */
    public boolean ready() {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort
                    + "/health/ready")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until ready; false when the timeout passes or the process exits first. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (ready()) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** kill -9: no shutdown hook runs, nothing is flushed or committed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, then waits up to {@code timeout}; returns the exit code, or -1 when it had not exited by then. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** The last {@code lines} lines of the worker's output. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
