package dev.deltawatch.worker.check.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.worker.check.lock.WriteOutcome;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ErrorLeaksTest {
    private static final ProbeInternals INTERNALS = new ProbeInternals(48213, Set.of("app_writer", "postgres"),
            List.of("/srv/pg/17/data"), List.of("SELECT version INTO current_version FROM pfa_records WHERE id = p_id;",
            "result := result || jsonb_build_object(k, v);"), "pfa_update_delta");
    private static final String PATCH = "{\"notes\": \"x\"}";

    private static List<String> kinds(String message, String detail, String hint, String context, String patch) {
        return ErrorLeaks.leaks(new WriteOutcome(null, "22023", message, detail, hint, context), INTERNALS, patch)
                .stream().map(ErrorLeaks.Leak::kind).toList();
    }

    @Test
    void plpgsqlLineContextAndAPlainRefusalAreNotLeaks() {
        assertThat(kinds("Version conflict on PFA record 1: expected version 3, current version is 4", null,
                "Re-read the record and apply the change again.",
                "PL/pgSQL function pfa_update_delta(bigint,jsonb,integer,text) line 33 at RAISE", PATCH)).isEmpty();
    }

    @Test
    void statementTextIsALeakWithoutAFromClause() {
        assertThat(kinds("patch refused in SELECT pfa_update_delta(CAST($1 AS bigint), CAST($2 AS jsonb), $3)",
                null, null, null, PATCH)).containsExactly(ErrorLeaks.STATEMENT);
        assertThat(kinds("refused", "query: select public.pfa_update_delta ($1, $2, $3)", null, null, PATCH))
                .containsExactly(ErrorLeaks.STATEMENT);
    }

    @Test
    void backendPidRoleNamesAndServerPathsAreLeaksInAnyField() {
        assertThat(kinds("refused", "backend 48213", null, null, PATCH)).containsExactly(ErrorLeaks.PID);
        assertThat(kinds("refused", null, "connected as app_writer", null, PATCH)).containsExactly(ErrorLeaks.ROLE);
        assertThat(kinds("refused", null, null, "data in /srv/pg/17/data", PATCH)).containsExactly(ErrorLeaks.PATH);
        assertThat(kinds("could not open /var/lib/postgresql/data/base/1.c", null, null, null, PATCH))
                .containsExactly(ErrorLeaks.PATH);
        // Whole words only: a longer number or a role name inside an identifier is something else.
        assertThat(kinds("record 482130 refused", null, "see app_writer_docs", null, PATCH)).isEmpty();
    }

    @Test
    void functionBodyTextIsALeakAsStatementOrAsALineOfABody() {
        assertThat(kinds("write failed: bad input (SQL statement \"UPDATE pfa_records SET delta_json = x WHERE id = "
                + "p_id\")", null, null, null, PATCH)).containsExactly(ErrorLeaks.BODY);
        assertThat(kinds("merge failed", null, "at: result := result ||   jsonb_build_object(k, v);", null, PATCH))
                .containsExactly(ErrorLeaks.BODY);
        assertThat(kinds("failed", null, null, "SQL statement \"SELECT 1\"\nPL/pgSQL function f() line 3", PATCH))
                .containsExactly(ErrorLeaks.BODY);
    }

    @Test
    void theProbesOwnPayloadEchoedBackIsNotALeak() {
        String injection = "{\"d\": \"$$; SELECT secret FROM pg_authid; $$\", \"p\": \"/etc/postgresql/17/main\"}";
        assertThat(kinds("invalid value \"$$; SELECT secret FROM pg_authid; $$\" for d", "path /etc/postgresql/17/main",
                null, null, injection)).isEmpty();
        // ...unless it comes back inside the statement text, which is the server's own.
        assertThat(kinds("refused: SELECT pfa_update_delta(1, '" + injection + "', 2)", null, null, null, injection))
                .containsExactly(ErrorLeaks.STATEMENT);
    }

    @Test
    void eachLeakNamesItsFieldAndShowsAnExcerpt() {
        ErrorLeaks.Leak leak = ErrorLeaks.leaks(new WriteOutcome(null, "22023", "refused", "backend 48213 says no",
                null, null), INTERNALS, PATCH).get(0);
        assertThat(leak.field()).isEqualTo("detail");
        assertThat(leak.describe()).isEqualTo("the backend pid in the detail: backend 48213 says no");
    }
}
