package dev.deltawatch.worker.check.hygiene;

import static dev.deltawatch.worker.check.hygiene.HygieneFixtures.describe;
import static dev.deltawatch.worker.check.hygiene.HygieneFixtures.findings;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FunctionHygieneCheckIT {
    private static HikariDataSource ds;
    private static List<CheckResult> results;

    @BeforeAll
    static void breakTheFunctions() throws Exception {
        ds = TestInfrastructure.referenceTarget("hygiene_functions");
        for (String fault : List.of("07_security_definer_trigger.sql", "08_iso_date_search_path_dropped.sql",
                "09_immutable_reads_table.sql", "13_volatile_pure_check_function.sql")) {
            HygieneFixtures.applyFault(ds, fault);
        }
        results = HygieneFixtures.run(new FunctionHygieneCheck(), TestInfrastructure.referenceContext(ds));
    }

    @AfterAll
    static void close() {
        ds.close();
    }

    @Test
    void securityDefinerTriggerFunctionWithoutSearchPathIsHigh() {
        assertThat(findings(results, FunctionHygieneCheck.SECURITY_DEFINER)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.subject().name()).isEqualTo("public.pfa_touch()");
            assertThat(f.evidence().get(0).content()).contains("trigger pfa_touch on pfa_records");
            assertThat(f.fix()).isEqualTo("ALTER FUNCTION public.pfa_touch() SET search_path = public, pg_temp;\n"
                    + "-- and schema-qualify what the body uses from other schemas.");
        });
    }

    @Test
    void generatedColumnHelperRedefinedWithoutSearchPathIsMedium() {
        assertThat(findings(results, FunctionHygieneCheck.SEARCH_PATH)).as(describe(findings(results,
                FunctionHygieneCheck.SEARCH_PATH))).filteredOn(f -> f.subject().name().contains("pfa_iso_date"))
                .singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(f.subject().name()).isEqualTo("public.pfa_iso_date(value text)");
            assertThat(f.evidence().get(0).content()).contains("expression of column pfa_records.merged_forecast_start");
        });
    }

    @Test
    void immutableFunctionReadingATableIsAVolatilityMismatch() {
        assertThat(findings(results, FunctionHygieneCheck.VOLATILITY)).as(describe(findings(results,
                FunctionHygieneCheck.VOLATILITY))).filteredOn(f -> f.severity() == Severity.MEDIUM)
                .singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(f.subject().name()).isEqualTo("public.pfa_category_class(category text)");
            assertThat(f.evidence().get(0).content()).contains("reads table categories");
            assertThat(f.fix()).startsWith("ALTER FUNCTION public.pfa_category_class(category text) STABLE;");
        });
    }

    @Test
    void volatileHelperOfACheckConstraintWithAPureBodyIsALowHint() {
        assertThat(findings(results, FunctionHygieneCheck.VOLATILITY)).filteredOn(f -> f.severity() == Severity.LOW)
                .singleElement().satisfies(f -> {
                    assertThat(f.subject().name()).isEqualTo("public.pfa_valid_org(org text)");
                    assertThat(f.evidence().get(0).content()).contains("used as: constraint pfa_org_format");
                });
        assertThat(findings(results, FunctionHygieneCheck.SEARCH_PATH))
                .anySatisfy(f -> assertThat(f.subject().name()).isEqualTo("public.pfa_valid_org(org text)"));
    }
}
