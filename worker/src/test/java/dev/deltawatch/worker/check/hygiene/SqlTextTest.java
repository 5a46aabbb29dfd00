package dev.deltawatch.worker.check.hygiene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlTextTest {

    @Test
    void rewritesDollarParametersToJdbcMarkersInOrder() {
        SqlText.Jdbc j = SqlText.toJdbc("SELECT * FROM t WHERE a = $1 AND b = $2::date");
        assertThat(j.sql()).isEqualTo("SELECT * FROM t WHERE a = ? AND b = ?::date");
        assertThat(j.parameterOrder()).containsExactly(1, 2);
    }

    @Test
    void expandsRepeatedAndOutOfOrderParameters() {
        SqlText.Jdbc j = SqlText.toJdbc("SELECT $2, $1 WHERE x = $2 OR y = $10");
        assertThat(j.sql()).isEqualTo("SELECT ?, ? WHERE x = ? OR y = ?");
        assertThat(j.parameterOrder()).containsExactly(2, 1, 2, 10);
        assertThat(j.highestParameter()).isEqualTo(10);
    }

    @Test
    void leavesLiteralsCommentsQuotedIdentifiersAndDollarQuotesAlone() {
        String sql = "SELECT '$1', E'it\\'s $2', \"col$3\", $tag$ $4 ; $tag$, $$ $5 $$ -- $6 ;\n"
                + "/* $7 /* nested $8 */ */ FROM t WHERE a = $1";
        SqlText.Jdbc j = SqlText.toJdbc(sql);
        assertThat(j.parameterOrder()).containsExactly(1);
        assertThat(j.sql()).endsWith("WHERE a = ?").contains("'$1'").contains("$tag$ $4 ; $tag$");
    }

    @Test
    void doublesLiteralQuestionMarksSoJsonbOperatorsSurviveTheDriver() {
        assertThat(SqlText.toJdbc("SELECT d ? 'k', d ?| $1 FROM t").sql()).isEqualTo("SELECT d ?? 'k', d ??| ? FROM t");
    }

    @Test
    void identifierEndingInDollarDigitIsNotAParameter() {
        assertThat(SqlText.toJdbc("SELECT a$1 FROM t").parameterOrder()).isEmpty();
    }

    @Test
    void rejectsASecondStatement() {
        assertThatThrownBy(() -> SqlText.toJdbc("SELECT 1; DROP TABLE organizations"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("single statement");
        assertThat(SqlText.toJdbc("SELECT 1; -- trailing comment\n").sql()).isEqualTo("SELECT 1");
    }

    @Test
    void splitsScriptsOnlyAtTopLevelSemicolons() {
        List<String> statements = SqlText.statements("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;"
                + "\n-- note; still a comment\nSELECT ';';");
        assertThat(statements).containsExactly("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql",
                "-- note; still a comment\nSELECT ';'");
    }
}
