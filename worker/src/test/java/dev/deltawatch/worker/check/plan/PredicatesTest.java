package dev.deltawatch.worker.check.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PredicatesTest {
    private static final List<String> COLUMNS = List.of("id", "organization_id", "merged_category", "Odd Name");

    @Test
    void comparedColumnsAreReadFromDeparsedConditionsWithEqualityWinning() {
        String cond = "((r.organization_id = 'HOLNG'::text) AND (merged_category >= 'A'::text) AND "
                + "(merged_category = 'Cranes'::text) AND (r.\"Odd Name\" < 5) AND (other_table.id = 1))";
        assertThat(Predicates.comparedColumns(cond, COLUMNS)).containsExactly(
                new Predicates.Compared("organization_id", true), new Predicates.Compared("merged_category", true),
                new Predicates.Compared("Odd Name", false), new Predicates.Compared("id", true));
        assertThat(Predicates.comparedColumns("(not_a_column = 1)", COLUMNS)).isEmpty();
    }

    @Test
    void aPartialIndexPredicateIsImpliedOnlyByConditionsThatContainEachOfItsConjuncts() {
        String holng = "Filter: ((pfa_records.organization_id = 'HOLNG'::text) AND (merged_category = 'Cranes'::text))";
        String rio = "Filter: ((pfa_records.organization_id = 'RIO'::text) AND (merged_category = 'Excavators'::text))";
        String predicate = "(organization_id = 'HOLNG'::text)";
        assertThat(Predicates.implies(holng, predicate)).isTrue();
        assertThat(Predicates.implies(rio, predicate)).isFalse();
        assertThat(Predicates.implies(rio, null)).as("a full index").isTrue();
        String two = "((organization_id = 'HOLNG'::text) AND (notes <> 'a AND b'::text))";
        assertThat(Predicates.conjuncts(two)).hasSize(2);
        assertThat(Predicates.implies(holng, two)).isFalse();
        assertThat(Predicates.implies(holng + " AND (pfa_records.notes <> 'a AND b'::text)", two)).isTrue();
    }

    @Test
    void aGeneratedColumnsExpressionIsRecognisedWhateverTheQualifiers() {
        String filter = "((pfa_merge(pfa_records.mirror_json, pfa_records.delta_json) ->> 'category'::text) = 'Cranes'::text)";
        assertThat(Predicates.mentionsExpression(filter, "(pfa_merge(mirror_json, delta_json) ->> 'category'::text)")).isTrue();
        assertThat(Predicates.mentionsExpression(filter, "(pfa_merge(mirror_json, delta_json) ->> 'forecast'::text)")).isFalse();
        assertThat(Predicates.mentionsColumn("(pfa_records.merged_category = 'x')", "merged_category")).isTrue();
        assertThat(Predicates.mentionsColumn("(pfa_records.merged_category_old = 'x')", "merged_category")).isFalse();
    }

    @Test
    void pgStatStatementsTextMatchesTheRegisteredSqlItCameFrom() {
        String registered = "SELECT id, version FROM pfa_records\n  WHERE id = $1 LIMIT 100";
        String normalized = "SELECT id, version FROM pfa_records WHERE id = $1 LIMIT $2";
        assertThat(Predicates.statementKey(normalized)).isEqualTo(Predicates.statementKey(registered));
        assertThat(Predicates.statementKey("SELECT id FROM pfa_records WHERE version = $1"))
                .isNotEqualTo(Predicates.statementKey(registered));
    }
}
