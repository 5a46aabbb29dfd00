package dev.deltawatch.worker.target;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;

/** What the example-target ITs share: the raw config tree, registered queries, fault application, fingerprints. */
final class ExampleTargetSupport {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ExampleTargetSupport() {}

    /** The target's config as a tree (the v2 loader is not on this branch; the tree is enough to run its SQL). */
    static JsonNode configTree(ExampleTarget target) throws Exception {
        try (InputStream in = ExampleTargetSupport.class.getClassLoader().getResourceAsStream(target.configResource())) {
            return YAML.readTree(in);
        }
    }

    /** Runs every registered query with each of its parameter sets: the SQL is valid on the installed schema. */
    static void registeredQueriesRun(DataSource ds, ExampleTarget target) throws Exception {
        JsonNode queries = configTree(target).get("queries");
        assertThat(queries).isNotEmpty();
        try (Connection c = ds.getConnection()) {
            for (JsonNode q : queries) {
                String sql = q.get("sql").asText().replaceAll("\\$\\d+", "?");
                for (JsonNode params : q.get("params")) {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        for (int i = 0; i < params.size(); i++) {
                            ps.setString(i + 1, params.get(i).asText());
                        }
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                // drained: the query ran to the end
                            }
                        }
                    } catch (Exception e) {
                        throw new AssertionError("registered query " + q.get("name").asText() + " failed: "
                                + e.getMessage(), e);
                    }
                }
            }
        }
    }

    /**
     * Applies every fault of the catalog (and its Exercise statements) in a transaction that is rolled back, so
     * one seeded database serves the whole catalog. Returns the resources applied.
     */
    static List<String> applyEveryFault(DataSource ds, ExampleTarget target) throws Exception {
        List<String> applied = new ArrayList<>();
        for (FaultCatalog.Fault fault : target.faults().faults()) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                try {
                    s.execute(fault.sql());
                    for (String exercise : fault.exercise()) {
                        s.execute(exercise);
                    }
                } catch (Exception e) {
                    throw new AssertionError(fault.resource() + " does not apply cleanly: " + e.getMessage(), e);
                } finally {
                    c.rollback();
                }
            }
            applied.add(fault.resource());
        }
        return applied;
    }

    /** The catalog's index lists exactly the .sql files of its folder (none forgotten, none stale). */
    static void indexListsEveryFile(ExampleTarget target) throws Exception {
        Path folder = Path.of("src/main/resources").resolve(target.faultCatalog());
        List<String> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(p -> p.toString().endsWith(".sql"))
                    .map(p -> target.faultCatalog() + "/" + folder.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
        assertThat(target.faults().faults()).extracting(FaultCatalog.Fault::resource)
                .containsExactlyInAnyOrderElementsOf(files);
    }

    /** A fingerprint of a query's whole result, to compare two seeds. */
    static String fingerprint(DataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM (" + sql
                     + ") t")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static JsonNode json(String text) throws Exception {
        return text == null ? null : new ObjectMapper().readTree(text);
    }
}
