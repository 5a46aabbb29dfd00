package dev.deltawatch.worker.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * PostgreSQL 17 and Apache Kafka (KRaft) as Testcontainers, used when a Docker engine answers.
 * Kept apart so that nothing touches Docker classes unless an engine is there.
 */
final class ContainerInfrastructure {
    private ContainerInfrastructure() {}

    /**
     * Cheap test first: without a socket or DOCKER_HOST there is no engine, and asking Testcontainers would
     * spend seconds probing and logging failures.
     */
    static boolean dockerAnswers(java.util.Map<String, String> env) {
        boolean hint = env.containsKey("DOCKER_HOST") || Files.exists(Path.of("/var/run/docker.sock"));
        if (!hint) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static Infrastructure.Managed<PostgresAddress> postgres() {
        @SuppressWarnings("resource")
        PostgreSQLContainer pg = new PostgreSQLContainer(DockerImageName.parse("postgres:17"))
                .withCommand("postgres", "-c", "wal_level=logical", "-c", "max_replication_slots=20",
                        "-c", "max_wal_senders=20", "-c", "max_connections=300",
                        "-c", "shared_preload_libraries=pg_stat_statements");
        pg.start();
        return new Infrastructure.Managed<>(new PostgresAddress(pg.getJdbcUrl(), pg.getUsername(), pg.getPassword()),
                pg::stop, "testcontainers postgres:17");
    }

    static Infrastructure.Managed<KafkaAddress> kafka() {
        KafkaContainer kafka = new KafkaContainer(DockerImageName.parse("apache/kafka:4.0.0"));
        kafka.start();
        return new Infrastructure.Managed<>(new KafkaAddress(kafka.getBootstrapServers()), kafka::stop,
                "testcontainers apache/kafka");
    }
}
