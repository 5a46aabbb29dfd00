package dev.deltawatch.worker.deploy;

import dev.deltawatch.worker.cli.Main;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The image deploy/Dockerfile builds, as this JVM can run it without Docker: the files it COPYs (and a
 * service's bind mounts) placed under a temporary root, every container path in arguments, environment and
 * those files rewritten to that root, and its entrypoint ({@code java -jar deltawatch.jar}) run as {@link Main}
 * from this class path in a child process, as a container runs it.
 */
final class DeltawatchImage {
    private static final Pattern COPY = Pattern.compile("(?m)^COPY (?!--from)(\\S+) (\\S+)\\s*$");
    private static final Pattern ENTRYPOINT = Pattern.compile("(?m)^ENTRYPOINT \\[(.*)]\\s*$");

    private final Path root;
    /** Container path to where it is under {@link #root}. */
    private final Map<String, Path> files = new LinkedHashMap<>();

    private DeltawatchImage(Path root) {
        this.root = root;
    }

    /**
     * Lays out the files of {@code dockerfile} (paths relative to {@code context}) and {@code binds} (container
     * path to host file) under {@code root}. Fails unless the entrypoint runs deltawatch.jar, whose main class is
     * {@link Main}: only then do a service's command arguments mean here what they mean in the container.
     */
    static DeltawatchImage layout(Path context, Path dockerfile, Map<String, Path> binds, Path root)
            throws IOException {
        String text = Files.readString(dockerfile);
        Matcher entry = ENTRYPOINT.matcher(text);
        if (!entry.find() || !entry.group(1).matches(".*\"-jar\",\\s*\"[^\"]*/deltawatch\\.jar\"\\s*")) {
            throw new IllegalArgumentException(dockerfile + ": the ENTRYPOINT does not end in -jar .../deltawatch.jar");
        }
        DeltawatchImage image = new DeltawatchImage(root);
        Map<String, Path> sources = new LinkedHashMap<>();
        Matcher copy = COPY.matcher(text);
        while (copy.find()) {
            if (copy.group(2).startsWith("/") && Files.isRegularFile(context.resolve(copy.group(1)))) {
                sources.put(copy.group(2), context.resolve(copy.group(1)));
            }
        }
        sources.putAll(binds);
        sources.keySet().forEach(c -> image.files.put(c, root.resolve(c.substring(1))));
        for (Map.Entry<String, Path> f : sources.entrySet()) {
            Path target = image.files.get(f.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, image.rewrite(Files.readString(f.getValue())));
        }
        return image;
    }

    /** {@code value} with every container path of this image replaced by where it is here. */
    String rewrite(String value) {
        String out = value;
        for (Map.Entry<String, Path> f : files.entrySet()) {
            out = out.replace(f.getKey(), f.getValue().toString());
        }
        return out;
    }

    /** Runs the entrypoint with {@code args} and exactly {@code env} of the DELTAWATCH_ variables; output to log. */
    Process start(List<String> args, Map<String, String> env, Path log) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        args.forEach(a -> command.add(rewrite(a)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("DELTAWATCH_"));
        env.forEach((k, v) -> builder.environment().put(k, rewrite(v)));
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + args + ": " + e.getMessage(), e);
        }
    }

    Path root() {
        return root;
    }
}
