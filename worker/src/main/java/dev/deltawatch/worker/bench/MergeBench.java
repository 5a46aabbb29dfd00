package dev.deltawatch.worker.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.check.ResolvedTarget;
import dev.deltawatch.worker.check.TargetCatalog;
import dev.deltawatch.worker.target.ExampleTarget;
import dev.deltawatch.worker.target.ExampleTargets;
import dev.deltawatch.worker.target.seed.SeedOptions;
import dev.deltawatch.worker.check.merge.DifferentialMergeCheck;
import dev.deltawatch.worker.check.merge.GeneratedColumnDriftCheck;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.Infrastructure;
import dev.deltawatch.worker.infra.PostgresAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code deltawatch bench merge}: how fast {@code merge.differential} verifies records (database function +
 * oracle + structural comparison, as the check runs) against how fast PostgreSQL alone evaluates the merge
 * ({@code SELECT count(pfa_merge(mirror_json, delta_json))}) over the same rows. Creates its own database on the
 * resolved server, installs the reference target, generates ~2 KB mirrors (half with deltas) in SQL, measures,
 * and drops the database. Prints one JSON line. Each side's figure is its best of {@code --rounds} alternating
 * measurements, after {@code --warmup-rounds} uncounted ones: the first verification runs the oracle interpreted
 * and pays for the JIT (about a second of CPU), which is not the rate a running worker verifies at.
 */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Merge verification throughput vs PostgreSQL evaluating the merge alone; one JSON line.")
public final class MergeBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--rows", defaultValue = "100000", description = "records to generate (default ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--target", defaultValue = ExampleTargets.DEFAULT, description = "example target (default "
            + "${DEFAULT-VALUE}: ~2 KB mirrors generated in SQL; another target is seeded by its own seeder and "
            + "measured in documents, PostgreSQL's side being its merged documents as the document source reads them)")
    String target;

    @Option(names = "--batch-size", defaultValue = "2000", description = "records per round trip (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--partitions", defaultValue = "2",
            description = "connections the full scan reads on at once (default ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--with-generated-columns", description = "measure merge.differential as `check` and the worker "
            + "run it: with merge.generated-column riding along on its read (the generated columns judged too)")
    boolean withGeneratedColumns;

    @Option(names = "--rounds", defaultValue = "3", description = "measurements of each side; the best counts")
    int rounds;

    @Option(names = "--warmup-rounds", defaultValue = "1",
            description = "uncounted rounds first, so the JIT has compiled the oracle (default ${DEFAULT-VALUE})")
    int warmupRounds;

    @Override
    public Integer call() throws Exception {
        if (rows < 1 || batchSize < 1 || rounds < 1 || warmupRounds < 0) {
            throw new IllegalArgumentException("--rows, --batch-size and --rounds must be >= 1, --warmup-rounds >= 0");
        }
        try (Infrastructure infra = Infrastructure.resolvePostgresOnly()) {
            String name = "deltawatch_bench_merge_" + ProcessHandle.current().pid();
            PostgresAddress db = Database.createDatabase(infra.postgres(), name);
            try {
                spec.commandLine().getOut().println(measure(db));
            } finally {
                drop(infra.postgres(), name);
            }
        }
        return 0;
    }

    private String measure(PostgresAddress db) throws Exception {
        ExampleTarget example = ExampleTargets.named(target);
        boolean reference = example == ExampleTargets.REFERENCE;
        try (HikariDataSource ds = Database.pool(db, "bench-merge", 4)) {
            example.install(ds);
            if (reference) {
                BenchData.generateMergeRows(ds, rows);
            } else {
                example.seeder().seed(db, SeedOptions.of(rows, SeedOptions.DEFAULT_SEED, true), null, false);
            }
            ResolvedTarget target;
            try (Connection c = ds.getConnection()) {
                target = TargetCatalog.resolve(c, example.config());
            }
            long documents = reference ? rows : count(ds, "SELECT count(*) FROM (" + target.documents().rows("", false)
                    + ") a");
            CheckContext context = new CheckContext(target, ds, Clock.systemUTC(), null, Duration.ofMinutes(10), null);
            double dbOnly = 0;
            double verified = 0;
            long mismatches = 0;
            for (int round = -warmupRounds; round < rounds; round++) {
                double dbOnlyNow = reference ? dbOnlyRate(ds, target) : dbOnlyDocumentRate(ds, target);
                long start = System.nanoTime();
                DifferentialMergeCheck check = new DifferentialMergeCheck(batchSize, partitions);
                if (withGeneratedColumns) {
                    check = check.feeding(new GeneratedColumnDriftCheck());
                }
                List<CheckResult> results = check.run(context, CheckScope.all());
                double seconds = (System.nanoTime() - start) / 1e9;
                if (results.size() != documents) {
                    throw new IllegalStateException("verified " + results.size() + " documents, expected " + documents);
                }
                mismatches = results.stream().filter(CheckResult::failed).count();
                if (round >= 0) {
                    dbOnly = Math.max(dbOnly, dbOnlyNow);
                    verified = Math.max(verified, documents / seconds);
                }
            }
            return String.format(Locale.ROOT, "{\"bench\":\"merge\",\"target\":\"%s\",\"rows\":%d,\"documents\":%d,"
                            + "\"batch_size\":%d,\"partitions\":%d,\"with_generated_columns\":%b,"
                            + "\"rounds\":%d,\"warmup_rounds\":%d,"
                            + "\"verified_per_s\":%.0f,\"db_only_per_s\":%.0f,\"ratio\":%.3f,\"mismatches\":%d,"
                            + "\"avg_mirror_bytes\":%d,\"load_avg_1m\":%.1f}",
                    example.name(), rows, documents, batchSize, partitions, withGeneratedColumns, rounds, warmupRounds,
                    verified, dbOnly,
                    verified / dbOnly, mismatches, reference ? BenchData.averageMirrorBytes(ds) : averageBytes(ds, target),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private double dbOnlyRate(HikariDataSource ds, ResolvedTarget target) throws SQLException {
        ResolvedTarget.Table t = target.primaryTable();
        String sql = "SELECT count(" + target.merge().sql(t.mirror(), t.delta()) + ") FROM "
                + t.qualifiedName();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            long start = System.nanoTime();
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long counted = rs.getLong(1);
                return counted / ((System.nanoTime() - start) / 1e9);
            }
        }
    }

    /** PostgreSQL alone producing every merged document, as the document source reads them (count forces each). */
    private double dbOnlyDocumentRate(HikariDataSource ds, ResolvedTarget target) throws SQLException {
        long start = System.nanoTime();
        long counted = count(ds, "SELECT count(" + target.documents().merged("a") + ") FROM ("
                + target.documents().rows("", false) + ") a");
        return counted / ((System.nanoTime() - start) / 1e9);
    }

    private static long averageBytes(HikariDataSource ds, ResolvedTarget target) throws SQLException {
        ResolvedTarget.Table t = target.primaryTable();
        return count(ds, "SELECT avg(length(" + t.mirror() + "::text))::bigint FROM " + t.qualifiedName());
    }

    private static long count(HikariDataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void drop(PostgresAddress server, String name) {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             Statement s = c.createStatement()) {
            // The name is ours (a fixed prefix and a pid), never user input.
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("bench merge: could not drop database " + name + ": " + e.getMessage());
        }
    }
}
