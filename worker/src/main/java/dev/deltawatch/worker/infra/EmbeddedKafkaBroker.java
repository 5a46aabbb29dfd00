package dev.deltawatch.worker.infra;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Apache Kafka 4.3 broker in KRaft combined mode (broker and controller), inside this JVM.
 * The storage is formatted first, as {@code kafka-storage format} would; ports are random and free; the log
 * directory is removed on close. Replication factors are 1: there is one node.
 *
 * <p>{@link #stop()} and {@link #restart()} take the broker away and bring it back on the same ports and log
 * directory, as an outage would: the reliability tests use that.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final KafkaConfig config;
    private final Path logDir;
    private final int port;
    private volatile KafkaRaftServer server;

    private EmbeddedKafkaBroker(KafkaConfig config, Path logDir, int port) {
        this.config = config;
        this.logDir = logDir;
        this.port = port;
    }

    public static EmbeddedKafkaBroker start() {
        long t0 = System.nanoTime();
        try {
            Path logDir = Files.createTempDirectory("deltawatch-kafka-");
            int port = freePort();
            int controllerPort = freePort();
            Properties props = brokerProperties(logDir, port, controllerPort);
            KafkaConfig config = KafkaConfig.fromProps(props, false);
            format(logDir);
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(config, logDir, port);
            broker.launch();
            LOG.info("embedded Kafka broker (KRaft) started on 127.0.0.1:{} in {} ms", port,
                    (System.nanoTime() - t0) / 1_000_000);
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("embedded Kafka did not start: " + e.getMessage(), e);
        }
    }

    private static Properties brokerProperties(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "3");
        p.put("auto.create.topics.enable", "true");
        p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        p.put("message.max.bytes", Integer.toString(16 * 1024 * 1024));
        return p;
    }

    private static void format(Path logDir) {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setNodeId(1)
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setIgnoreFormatted(true)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("formatting Kafka storage in " + logDir + " failed: " + e.getMessage(), e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private void launch() {
        KafkaRaftServer s = new KafkaRaftServer(config, Time.SYSTEM);
        s.startup();
        server = s;
    }

    /** Takes the broker away (clients see connection refused); its log directory is kept for {@link #restart()}. */
    public void stop() {
        shutdown();
        LOG.info("embedded Kafka broker on 127.0.0.1:{} stopped", port);
    }

    /** Brings the broker back on the same ports with the same data, after {@link #stop()}. */
    public void restart() {
        launch();
        LOG.info("embedded Kafka broker on 127.0.0.1:{} restarted", port);
    }

    private void shutdown() {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("embedded Kafka did not stop cleanly: {}", e.getMessage());
        }
    }

    public KafkaAddress address() {
        return new KafkaAddress("127.0.0.1:" + port);
    }

    @Override
    public void close() {
        shutdown();
        try (Stream<Path> files = Files.walk(logDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", logDir, e.getMessage());
        }
    }
}
