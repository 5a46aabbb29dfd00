package dev.deltawatch.worker.target.drafts;

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
 * Seeds the drafts target: installs it if missing, truncates or appends after the highest SKU, COPYs the items
 * and then their drafts on one connection in one transaction (the drafts reference the items), ANALYZEs and
 * refreshes the KPI materialized view. {@code options.rows()} counts items; {@code threads} is not used (one COPY
 * stream per table: the drafts must follow the items they reference).
 */
public final class DraftsSeeder {
    static final String ITEM_COLUMNS = "(sku, body, synced_at)";
    static final String DRAFT_COLUMNS = "(id, author_id, item_sku, changes, version, created_at, updated_at)";

    private final PostgresAddress address;
    private final PrintStream log;
    private final boolean terminal;

    public DraftsSeeder(PostgresAddress address, PrintStream log, boolean terminal) {
        this.address = address;
        this.log = log;
        this.terminal = terminal;
    }

    public DraftsSeedSummary seed(SeedOptions options) throws SQLException {
        long t0 = System.nanoTime();
        try (HikariDataSource ds = Database.pool(address, "seed-install", 2)) {
            ExampleTargets.DRAFTS.install(ds);
        }
        DraftsGenerator generator = new DraftsGenerator(options.seed());
        try (Connection c = DriverManager.getConnection(address.jdbcUrl(), address.user(), address.password());
             Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            if (options.truncate()) {
                s.execute("TRUNCATE catalog_items, item_drafts");
            }
            long first = highestSkuNumber(s);
            long end = first + options.rows();
            SeedProgress progress = new SeedProgress(options.rows(), log, terminal);
            long drafts;
            try {
                CopyText.copy(c, "catalog_items", ITEM_COLUMNS, first, end, options.chunkRows(), (out, i) -> {
                    DraftsGenerator.Item item = generator.item(i);
                    CopyText.line(out, item.sku(), item.body(), item.syncedAt());
                }, progress, true);
                drafts = CopyText.copy(c, "item_drafts", DRAFT_COLUMNS, first, end, options.chunkRows(), (out, i) -> {
                    for (DraftsGenerator.Draft d : generator.drafts(i)) {
                        CopyText.line(out, d.id(), d.author(), d.sku(), d.changes(), d.version(), d.createdAt(),
                                d.updatedAt());
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
            s.execute("ANALYZE catalog_items");
            s.execute("ANALYZE item_drafts");
            // The dashboard's KPI is only as fresh as its last refresh: the seed leaves it current.
            s.execute("REFRESH MATERIALIZED VIEW draft_kpis_by_category");
            s.execute("ANALYZE draft_kpis_by_category");
            return DraftsSeedSummary.measure(s, options.rows(), drafts, progress.bytes(), seconds(t0));
        }
    }

    /** The number of the highest generated SKU (0 when there is none): an append continues after it. */
    static long highestSkuNumber(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT coalesce(max(substr(sku, 5)::bigint), 0) FROM catalog_items "
                + "WHERE sku ~ '^SKU-[0-9]{7}$'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double seconds(long fromNanos) {
        return Math.round((System.nanoTime() - fromNanos) / 1e6) / 1e3;
    }
}
