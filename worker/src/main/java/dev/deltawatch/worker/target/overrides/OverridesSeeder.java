package dev.deltawatch.worker.target.overrides;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.ExampleTargets;
import dev.deltawatch.worker.target.seed.CopyText;
import dev.deltawatch.worker.target.seed.SeedOptions;
import dev.deltawatch.worker.target.seed.SeedProgress;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Seeds the overrides target: installs it if missing, truncates or appends after the highest page number, COPYs
 * the pages and then their overrides on one connection in one transaction, and ANALYZEs. {@code options.rows()}
 * counts pages; {@code threads} is not used (the overrides must follow the pages they reference).
 */
public final class OverridesSeeder {
    static final String PAGE_COLUMNS = "(id, source, slug, content, synced_at)";
    static final String OVERRIDE_COLUMNS = "(page_id, patch, updated_at, updated_by)";

    private final PostgresAddress address;
    private final PrintStream log;
    private final boolean terminal;

    public OverridesSeeder(PostgresAddress address, PrintStream log, boolean terminal) {
        this.address = address;
        this.log = log;
        this.terminal = terminal;
    }

    public OverridesSeedSummary seed(SeedOptions options) throws SQLException {
        long t0 = System.nanoTime();
        try (HikariDataSource ds = Database.pool(address, "seed-install", 2)) {
            ExampleTargets.OVERRIDES.install(ds);
        }
        OverridesGenerator generator = new OverridesGenerator(options.seed());
        try (Connection c = DriverManager.getConnection(address.jdbcUrl(), address.user(), address.password());
             Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            if (options.truncate()) {
                s.execute("TRUNCATE content_pages, content_overrides");
            }
            long first = highestPageNumber(s);
            long end = first + options.rows();
            SeedProgress progress = new SeedProgress(options.rows(), log, terminal);
            long overrides;
            try {
                CopyText.copy(c, "content_pages", PAGE_COLUMNS, first, end, options.chunkRows(), (out, i) -> {
                    OverridesGenerator.Page p = generator.page(i);
                    CopyText.line(out, p.id(), p.source(), p.slug(), p.content(), p.syncedAt());
                }, progress, true);
                overrides = CopyText.copy(c, "content_overrides", OVERRIDE_COLUMNS, first, end, options.chunkRows(),
                        (out, i) -> {
                            OverridesGenerator.Override o = generator.override(i);
                            if (o != null) {
                                CopyText.line(out, o.pageId(), o.patch(), o.updatedAt(), o.updatedBy());
                            }
                        }, progress, false);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                progress.close();
            }
            c.setAutoCommit(true);
            s.execute("ANALYZE content_pages");
            s.execute("ANALYZE content_overrides");
            return OverridesSeedSummary.measure(s, options.rows(), overrides, progress.bytes(), seconds(t0));
        }
    }

    /** The number of the highest generated page (slug ".../page-N"; 0 when none): an append continues after it. */
    static long highestPageNumber(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT coalesce(max(substring(slug FROM '/page-([0-9]+)$')::bigint), 0) "
                + "FROM content_pages WHERE source <> '__deltawatch_probe__'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double seconds(long fromNanos) {
        return Math.round((System.nanoTime() - fromNanos) / 1e6) / 1e3;
    }
}
