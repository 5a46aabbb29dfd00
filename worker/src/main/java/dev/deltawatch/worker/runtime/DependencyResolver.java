package dev.deltawatch.worker.runtime;

import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.check.FunctionReach;
import dev.deltawatch.worker.check.plan.QueryRelations;
import dev.deltawatch.worker.route.Dependents;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the router's {@link Dependents} current: resolved from the catalog at start and again after every batch
 * of schema-change work (a redefined function may call new ones; new DDL may change what a query reads). When the
 * catalog cannot be read, the last resolution stays. Thread-safe.
 */
final class DependencyResolver implements Supplier<Dependents> {
    private static final Logger LOG = LoggerFactory.getLogger(DependencyResolver.class);

    private final DataSource pool;
    private final TargetConfig target;
    private final AtomicReference<Dependents> current = new AtomicReference<>(Dependents.NONE);

    DependencyResolver(DataSource pool, TargetConfig target) {
        this.pool = pool;
        this.target = target;
    }

    @Override
    public Dependents get() {
        return current.get();
    }

    void refresh() {
        try (Connection c = pool.getConnection()) {
            c.setReadOnly(true);
            Map<String, List<Dependents.Use>> functions = new LinkedHashMap<>();
            FunctionReach.of(c, target).forEach((name, reaches) -> {
                List<Dependents.Use> uses = new ArrayList<>();
                reaches.forEach(r -> uses.add(new Dependents.Use(r.writePath() ? Dependents.Role.WRITE
                        : Dependents.Role.MERGE, r.via())));
                functions.put(name, uses);
            });
            Dependents resolved = new Dependents(QueryRelations.queriesByTable(c, target), functions);
            if (!resolved.equals(current.getAndSet(resolved))) {
                LOG.info("[route] checks depend on {} function(s) and {} table(s) read by registered queries",
                        functions.size(), resolved.readTables().size());
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("[route] could not resolve what the checks depend on (keeping the last resolution): {}",
                    e.getMessage());
        }
    }
}
