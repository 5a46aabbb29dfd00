package dev.deltawatch.worker.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides where PostgreSQL and Kafka come from, each on its own, in this order:
 * <ol>
 *   <li>an address in the environment: {@code DELTAWATCH_JDBC_URL} (+ {@code DELTAWATCH_JDBC_USER},
 *       {@code DELTAWATCH_JDBC_PASSWORD}) and {@code DELTAWATCH_KAFKA_BOOTSTRAP};</li>
 *   <li>Testcontainers, when a Docker engine answers;</li>
 *   <li>embedded: zonky PostgreSQL 17 and an in-JVM KRaft broker.</li>
 * </ol>
 * {@code DELTAWATCH_INFRA=embedded} skips the Docker probe. Whatever this started, {@link #close()} stops.
 */
public final class Infrastructure implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Infrastructure.class);

    public static final String ENV_JDBC_URL = "DELTAWATCH_JDBC_URL";
    public static final String ENV_JDBC_USER = "DELTAWATCH_JDBC_USER";
    public static final String ENV_JDBC_PASSWORD = "DELTAWATCH_JDBC_PASSWORD";
    public static final String ENV_KAFKA_BOOTSTRAP = "DELTAWATCH_KAFKA_BOOTSTRAP";
    public static final String ENV_INFRA = "DELTAWATCH_INFRA";

    /** An address plus how to stop what provides it (nothing, for an address from the environment). */
    record Managed<A>(A address, AutoCloseable stopper, String source) {}

    private final Managed<PostgresAddress> postgres;
    private final Managed<KafkaAddress> kafka;

    private Infrastructure(Managed<PostgresAddress> postgres, Managed<KafkaAddress> kafka) {
        this.postgres = postgres;
        this.kafka = kafka;
    }

    /** Resolves both from the process environment. */
    public static Infrastructure resolve() {
        return resolve(System.getenv(), true);
    }

    /** Resolves PostgreSQL only; for commands that need no Kafka ({@code check}, {@code seed}, {@code load}). */
    public static Infrastructure resolvePostgresOnly() {
        return resolve(System.getenv(), false);
    }

    static Infrastructure resolve(Map<String, String> env, boolean withKafka) {
        boolean forceEmbedded = "embedded".equalsIgnoreCase(env.get(ENV_INFRA));
        Boolean docker = null;
        Managed<PostgresAddress> pg;
        String jdbcUrl = env.get(ENV_JDBC_URL);
        if (jdbcUrl != null && !jdbcUrl.isBlank()) {
            pg = new Managed<>(new PostgresAddress(jdbcUrl, env.getOrDefault(ENV_JDBC_USER, "postgres"),
                    env.getOrDefault(ENV_JDBC_PASSWORD, "")), () -> { }, "environment");
        } else if (!forceEmbedded && (docker = ContainerInfrastructure.dockerAnswers(env))) {
            pg = ContainerInfrastructure.postgres();
        } else {
            EmbeddedPostgresServer server = EmbeddedPostgresServer.start();
            pg = new Managed<>(server.address(), server, "embedded PostgreSQL 17");
        }
        Managed<KafkaAddress> kafka = null;
        if (withKafka) {
            String bootstrap = env.get(ENV_KAFKA_BOOTSTRAP);
            if (bootstrap != null && !bootstrap.isBlank()) {
                kafka = new Managed<>(new KafkaAddress(bootstrap), () -> { }, "environment");
            } else if (!forceEmbedded && (docker != null ? docker : ContainerInfrastructure.dockerAnswers(env))) {
                kafka = ContainerInfrastructure.kafka();
            } else {
                EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                kafka = new Managed<>(broker.address(), broker, "embedded Kafka (KRaft)");
            }
        }
        Infrastructure infra = new Infrastructure(pg, kafka);
        LOG.info("infrastructure: PostgreSQL from {}, Kafka from {}", pg.source(),
                kafka == null ? "(not needed)" : kafka.source());
        return infra;
    }

    public PostgresAddress postgres() {
        return postgres.address();
    }

    /** @throws IllegalStateException when resolved without Kafka */
    public KafkaAddress kafka() {
        if (kafka == null) {
            throw new IllegalStateException("this infrastructure was resolved without Kafka");
        }
        return kafka.address();
    }

    public String postgresSource() {
        return postgres.source();
    }

    public String kafkaSource() {
        return kafka == null ? "none" : kafka.source();
    }

    @Override
    public void close() {
        List<Exception> failures = new ArrayList<>();
        // Kafka first: a worker's producers may still flush while PostgreSQL is up.
        for (Managed<?> m : new Managed<?>[] {kafka, postgres}) {
            if (m == null) {
                continue;
            }
            try {
                m.stopper().close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        failures.forEach(e -> LOG.warn("stopping infrastructure: {}", e.getMessage()));
    }
}
