package dev.deltawatch.worker.infra;

/** How to reach a Kafka cluster: its bootstrap servers, {@code host:port[,host:port]}. */
public record KafkaAddress(String bootstrapServers) {}
