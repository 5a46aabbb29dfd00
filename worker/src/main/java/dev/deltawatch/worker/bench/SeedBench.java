package dev.deltawatch.worker.bench;

import dev.deltawatch.worker.target.seed.CopyReference;
import dev.deltawatch.worker.target.seed.SeedOptions;
import dev.deltawatch.worker.target.seed.SeedSummary;
import dev.deltawatch.worker.target.seed.Seeder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench seed}: our seed of N rows into a fresh reference target, against PostgreSQL loading the same rows
 * from a pre-generated file with server-side COPY into the same table state (secondary indexes dropped and
 * rebuilt, ANALYZE). Keys: seed_s, copy_s, ratio (goal <= 1.5), plus the phases of both and the share of the
 * COPY spent computing the STORED generated columns.
 */
@Command(name = "seed", mixinStandardHelpOptions = true,
        description = "Seed time against PostgreSQL's COPY of the same rows from a file; one JSON line.")
public final class SeedBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--rows", defaultValue = "1000000", description = "Rows (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed.")
    long seed;

    @Override
    public Integer call() throws Exception {
        Path file = Files.createTempFile("deltawatch-bench-seed-", ".copy");
        try (BenchDatabase db = new BenchDatabase("deltawatch_bench_seed")) {
            file.toFile().setReadable(true, false);
            SeedSummary ours = new Seeder(db.address(), null, false).seed(SeedOptions.of(rows, seed, true));
            long bytes = CopyReference.writeFile(file, rows, seed);
            boolean serverSide = db.address().jdbcUrl().matches("jdbc:postgresql://(127\\.0\\.0\\.1|localhost)[:/].*");
            Map<String, Double> copy = CopyReference.load(db.address(), file, serverSide);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("rows", rows);
            out.put("seed_s", BenchDatabase.round(ours.seconds(), 2));
            out.put("copy_s", copy.get("total_s"));
            out.put("ratio", BenchDatabase.round(ours.seconds() / copy.get("total_s"), 3));
            out.put("seed_rows_per_s", Math.round(ours.rowsPerSecond()));
            out.put("seed_phases", ours.phases());
            out.put("copy_phases", copy);
            out.put("copy_mode", serverSide ? "server-side COPY FROM file" : "COPY FROM STDIN of the file");
            out.put("file_mb", BenchDatabase.round(bytes / 1e6, 1));
            out.put("generated_columns_share_of_copy",
                    BenchDatabase.round(1 - copy.get("plain_copy_s") / copy.get("copy_only_s"), 3));
            out.put("delta_share", BenchDatabase.round(ours.deltaShare(), 4));
            out.put("actualized_share", BenchDatabase.round(ours.actualizedShare(), 4));
            out.put("avg_mirror_bytes", Math.round(ours.avgMirrorBytes()));
            spec.commandLine().getOut().println(BenchDatabase.jsonLine(out));
            spec.commandLine().getOut().flush();
        } finally {
            Files.deleteIfExists(file);
        }
        return 0;
    }
}
