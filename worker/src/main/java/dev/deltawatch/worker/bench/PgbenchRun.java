package dev.deltawatch.worker.bench;

import dev.deltawatch.contracts.TargetConfig.RegisteredQuery;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.load.ParameterDraws;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a registered read query through pgbench: one script file per drawn (organization, category) pair with the
 * values inlined as literals, weighted ({@code -f file@weight}) by the pair's record count, in prepared mode.
 */
final class PgbenchRun {
    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/([^?]+).*");
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+)");
    private static final Pattern LATENCY = Pattern.compile("latency average = ([0-9.]+) ms");

    private final Path binary;
    private final PostgresAddress address;
    private double averageLatencyMs = -1;

    PgbenchRun(Path binary, PostgresAddress address) {
        Path debian = Path.of("/usr/lib/postgresql/15/bin/pgbench");
        this.binary = binary != null ? binary : Files.isExecutable(debian) ? debian : Path.of("pgbench");
        this.address = address;
    }

    double run(RegisteredQuery query, ParameterDraws draws, int clients, int seconds) throws IOException,
            InterruptedException {
        Matcher url = URL.matcher(address.jdbcUrl());
        if (!url.matches()) {
            throw new IllegalArgumentException("cannot derive pgbench host/port/database from " + address.jdbcUrl());
        }
        Path dir = Files.createTempDirectory("deltawatch-pgbench-");
        try {
            List<String> cmd = new ArrayList<>(List.of(binary.toString(), "-n", "-M", "prepared", "-c",
                    Integer.toString(clients), "-j", "2", "-T", Integer.toString(seconds), "-h", url.group(1), "-p",
                    url.group(2) == null ? "5432" : url.group(2), "-U", address.user()));
            List<String[]> pairs = draws.topPairs(LoadBench.PAIRS);
            long heaviest = draws.pairWeight(0);
            for (int i = 0; i < pairs.size(); i++) {
                Path script = dir.resolve("pair" + i + ".sql");
                Files.writeString(script, inline(query, pairs.get(i)) + ";\n", StandardCharsets.UTF_8);
                long weight = Math.max(1, Math.round(1000.0 * draws.pairWeight(i) / heaviest));
                cmd.add("-f");
                cmd.add(script + "@" + weight);
            }
            cmd.add(url.group(3));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("PGPASSWORD", address.password());
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("pgbench failed (exit " + p.exitValue() + "): " + output);
            }
            Matcher lat = LATENCY.matcher(output);
            if (lat.find()) {
                averageLatencyMs = Double.parseDouble(lat.group(1));
            }
            Matcher tps = TPS.matcher(output);
            if (!tps.find()) {
                throw new IllegalStateException("no tps in pgbench output: " + output);
            }
            return Double.parseDouble(tps.group(1));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    double averageLatencyMs() {
        return averageLatencyMs;
    }

    /** The query with $1/$2 replaced by the pair's values as SQL string literals (values from the database). */
    static String inline(RegisteredQuery query, String[] pair) {
        Object[] params = new Object[query.params().isEmpty() ? 0 : query.params().get(0).size()];
        for (int i = 0; i < params.length && i < pair.length; i++) {
            params[i] = pair[i];
        }
        Matcher m = Pattern.compile("\\$(\\d+)").matcher(query.sql());
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String v = String.valueOf(params[Integer.parseInt(m.group(1)) - 1]);
            m.appendReplacement(b, Matcher.quoteReplacement("'" + v.replace("'", "''") + "'"));
        }
        m.appendTail(b);
        return b.toString();
    }
}
