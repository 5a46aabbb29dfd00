package dev.deltawatch.worker.cli;

import dev.deltawatch.worker.infra.EmbeddedKafkaBroker;
import dev.deltawatch.worker.infra.EmbeddedPostgresServer;
import dev.deltawatch.worker.infra.KafkaAddress;
import dev.deltawatch.worker.infra.PostgresAddress;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "infra", mixinStandardHelpOptions = true,
        description = "Local infrastructure for trying deltawatch out.",
        subcommands = {InfraCommand.Up.class})
public final class InfraCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Starts an embedded PostgreSQL 17 (logical WAL, pg_stat_statements) and a Kafka broker "
                    + "(KRaft), prints their addresses, and runs until Ctrl-C.")
    static final class Up implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start();
            EmbeddedKafkaBroker kafka;
            try {
                kafka = EmbeddedKafkaBroker.start();
            } catch (RuntimeException e) {
                postgres.close();
                throw e;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                kafka.close();
                postgres.close();
                stopped.countDown();
            }, "deltawatch-infra-shutdown"));
            PostgresAddress pg = postgres.address();
            KafkaAddress k = kafka.address();
            out.println("PostgreSQL 17  " + pg.jdbcUrl() + "  (user " + pg.user() + ", no password)");
            out.println("               psql -h 127.0.0.1 -p " + postgres.port() + " -U postgres postgres");
            out.println("Kafka          " + k.bootstrapServers());
            out.println();
            out.println("export " + "DELTAWATCH_JDBC_URL=" + pg.jdbcUrl());
            out.println("export " + "DELTAWATCH_KAFKA_BOOTSTRAP=" + k.bootstrapServers());
            out.println();
            out.println("Running. Ctrl-C stops both and removes their data.");
            out.flush();
            stopped.await();
            return 0;
        }
    }
}
