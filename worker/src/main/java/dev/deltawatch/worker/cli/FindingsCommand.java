package dev.deltawatch.worker.cli;

import dev.deltawatch.worker.infra.KafkaAddress;
import dev.deltawatch.worker.publish.FeedTail;
import dev.deltawatch.worker.publish.FeedTopics;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "findings", mixinStandardHelpOptions = true,
        description = "The findings feed (topic deltawatch.findings).",
        subcommands = {FindingsCommand.Tail.class})
public final class FindingsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "tail", mixinStandardHelpOptions = true,
            description = "Prints lifecycle transitions as they are published (colour on a terminal).")
    static final class Tail implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap servers, host:port[,host:port]")
        String bootstrap;

        @Option(names = "--topic", defaultValue = FeedTopics.FINDINGS, description = "Findings topic (default: ${DEFAULT-VALUE})")
        String topic;

        @Option(names = "--json", description = "One finding per line as JSON (the Finding contract), for scripts")
        boolean json;

        @Option(names = "--from-beginning", description = "Start with the oldest retained transition")
        boolean fromBeginning;

        @Option(names = "--max-messages", defaultValue = "0", description = "Stop after N findings (0: follow)")
        int maxMessages;

        @Option(names = "--until-end", description = "Stop at the end of the topic instead of following")
        boolean untilEnd;

        @Override
        public Integer call() throws InterruptedException {
            if (bootstrap.isBlank()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "Invalid value '' for option '--bootstrap': must be host:port");
            }
            AtomicBoolean stopped = new AtomicBoolean();
            Thread hook = new Thread(() -> stopped.set(true), "findings-tail-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                boolean colour = !json && System.console() != null;
                FeedTail.run(new KafkaAddress(bootstrap), new FeedTail.Options(topic, json, colour, fromBeginning,
                        maxMessages, untilEnd), spec.commandLine().getOut(), spec.commandLine().getErr(), stopped::get);
                return 0;
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is already exiting; nothing to undo
                }
            }
        }
    }
}
