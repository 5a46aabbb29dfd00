package dev.deltawatch.worker.check.hygiene;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FunctionBodyTest {

    @Test
    void findsReadsWritesAndCallsOutsideCommentsAndLiterals() {
        FunctionBody b = FunctionBody.parse("""
                -- SELECT * FROM commented_out
                SELECT equipment_class FROM public.categories c JOIN organizations o ON true
                 WHERE name = 'FROM quoted_table';
                UPDATE pfa_records SET x = now() WHERE id = nextval('seq');
                FOR k IN SELECT key FROM jsonb_each(delta) LOOP END LOOP;
                """);
        assertThat(b.reads()).containsExactlyInAnyOrder("categories", "organizations");
        assertThat(b.writes()).containsExactly("pfa_records");
        assertThat(b.calls()).contains("now", "nextval", "jsonb_each");
        assertThat(b.dynamicSql()).isFalse();
    }

    @Test
    void noticesDynamicSqlAndTimeKeywords() {
        FunctionBody b = FunctionBody.parse("BEGIN EXECUTE format('SELECT 1'); RETURN current_date; END");
        assertThat(b.dynamicSql()).isTrue();
        assertThat(b.timeKeywords()).containsExactly("current_date");
    }
}
