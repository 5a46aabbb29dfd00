package dev.deltawatch.worker.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckRegistry;
import dev.deltawatch.worker.check.Checks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The three fault catalogs load without a database: a malformed header, a listed file that is missing, or an
 * expectation naming a check that does not exist fails here, before any IT injects anything.
 */
class FaultCatalogTest {
    private static final Set<String> FAMILIES = Set.of("merge", "plan", "lock", "edge", "hygiene");

    @Test
    void referenceCatalogLoadsEveryFaultWithAnExpectationOfAnExistingCheck() {
        FaultCatalog catalog = FaultCatalog.load(ReferenceTarget.FAULT_CATALOG);
        assertThat(catalog.faults()).hasSize(40);
        assertThat(catalog.faults()).extracting(FaultCatalog.Fault::family).containsOnly(FAMILIES.toArray(String[]::new));
        Set<String> checks = checkNames();
        assertThat(catalog.faults()).allSatisfy(f -> assertThat(f.expectations()).as(f.resource()).isNotEmpty()
                .allSatisfy(e -> assertThat(checks).as(f.resource() + ": " + e).contains(e.check())));
        FaultCatalog.Fault bulk = catalog.faults().stream()
                .filter(f -> f.resource().equals("faults/lock/05_bulk_import_unversioned.sql")).findFirst().orElseThrow();
        assertThat(bulk.exercise()).singleElement().asString().startsWith("SELECT pfa_bulk_import(");
    }

    @Test
    void everyReferenceFaultFileIsListedOrLeftOutWithAReason() throws Exception {
        Path root = Path.of("src/main/resources/faults");
        String index = Files.readString(root.resolve(FaultCatalog.INDEX));
        List<String> files;
        try (Stream<Path> all = Files.list(root)) {
            files = all.filter(p -> FAMILIES.contains(p.getFileName().toString())).flatMap(dir -> {
                try (Stream<Path> sql = Files.list(dir)) {
                    return sql.map(p -> root.relativize(p).toString().replace('\\', '/')).toList().stream();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).sorted().toList();
        }
        assertThat(files).hasSize(41);
        Set<String> listed = index.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .collect(Collectors.toSet());
        assertThat(files).allSatisfy(f -> assertThat(listed.contains(f) || index.contains("# " + f + " is left out"))
                .as(f + " is neither listed in faults/index.txt nor left out with a reason").isTrue());
    }

    @Test
    void exampleTargetCatalogsLoad() {
        assertThat(ExampleTargets.DRAFTS.faults().faults()).isNotEmpty();
        assertThat(ExampleTargets.OVERRIDES.faults().faults()).isNotEmpty();
    }

    @Test
    void aFunctionIsNamedWithOrWithoutItsSignatureOrBatteryCase() {
        assertThat(FaultSubjects.names("function:pfa_touch", new Subject("function", "public.pfa_touch()"))).isTrue();
        assertThat(FaultSubjects.names("function:pfa_iso_date", new Subject("function", "public.pfa_iso_date(value text)")))
                .isTrue();
        assertThat(FaultSubjects.names("function:pfa_merge", new Subject("function", "public.pfa_merge#arrays"))).isTrue();
        assertThat(FaultSubjects.names("function:pfa_merge", new Subject("function", "public.pfa_merge_v2(a jsonb)")))
                .isFalse();
    }

    @Test
    void aMissingCatalogNamesItsIndex() {
        assertThatThrownBy(() -> FaultCatalog.load("no-such-catalog")).hasMessageContaining("no-such-catalog/index.txt");
    }

    private static Set<String> checkNames() {
        try (CheckRegistry registry = Checks.forFamilies(FAMILIES)) {
            return registry.all().stream().map(Check::name).collect(Collectors.toSet());
        }
    }
}
