package dev.deltawatch.worker.check.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParameterizedSqlTest {

    @Test
    void repeatedAndOutOfOrderParametersBindTheRightValues() {
        ParameterizedSql sql = ParameterizedSql.of("SELECT * FROM t WHERE b = $2 AND a = $1 OR b2 = $2");
        assertThat(sql.jdbcSql()).isEqualTo("SELECT * FROM t WHERE b = ? AND a = ? OR b2 = ?");
        assertThat(sql.slots()).containsExactly(2, 1, 2);
        assertThat(sql.bind(List.of("A", "B"))).containsExactly("B", "A", "B");
    }

    @Test
    void dollarSignsInsideLiteralsIdentifiersCommentsAndDollarQuotesAreLeftAlone() {
        String text = "SELECT '$1 costs $2', \"col$1\", E'it\\'s $3', $body$ $4 $body$, a$1 -- $5\n"
                + "/* $6 /* nested $7 */ */ FROM t WHERE x = $1";
        ParameterizedSql sql = ParameterizedSql.of(text);
        assertThat(sql.slots()).containsExactly(1);
        assertThat(sql.jdbcSql()).endsWith("WHERE x = ?").contains("'$1 costs $2'").contains("$body$ $4 $body$")
                .contains("a$1");
    }

    @Test
    void jsonbQuestionMarkOperatorsAreEscapedForPgjdbc() {
        ParameterizedSql sql = ParameterizedSql.of("SELECT 1 FROM t WHERE doc ? 'k' AND doc ?| $1 AND note = '?'");
        assertThat(sql.jdbcSql()).isEqualTo("SELECT 1 FROM t WHERE doc ?? 'k' AND doc ??| ? AND note = '?'");
        assertThat(sql.slots()).containsExactly(1);
    }

    @Test
    void aTrailingSemicolonIsDroppedButASecondStatementIsRefused() {
        assertThat(ParameterizedSql.of("SELECT $1;  \n").jdbcSql()).isEqualTo("SELECT ?");
        assertThatThrownBy(() -> ParameterizedSql.of("SELECT $1; DROP TABLE t"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("second statement");
        assertThat(ParameterizedSql.of("SELECT ';' AS semi").jdbcSql()).isEqualTo("SELECT ';' AS semi");
    }

    @Test
    void unterminatedLiteralsAndWrongParameterCountsAreReportedClearly() {
        assertThatThrownBy(() -> ParameterizedSql.of("SELECT 'open"))
                .hasMessageContaining("unterminated string literal starting at offset 7");
        assertThatThrownBy(() -> ParameterizedSql.of("SELECT $1, $3").bind(List.of("a", "b")))
                .hasMessageContaining("$1..$3").hasMessageContaining("2 value(s)");
    }
}
