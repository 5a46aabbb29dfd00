package dev.deltawatch.worker.discover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Parameter roles of an application's save as pg_stat_statements shows it (constants normalized to $n too). */
class WriteStatementDiscoveryTest {
    private static final Layout DRAFTS = new Layout("catalog_items", "sku", "text", "body", "item_drafts", "item_sku",
            "author_id", "changes");
    private static final Set<String> COLUMNS = Set.of("id", "version", "updated_at");

    @Test
    void anUpsertWithAVersionPredicateGetsRolesAndZeroRowsAndItsConstantsAreMarkedGuessed() {
        WriteStatementDiscovery.Verdict v = WriteStatementDiscovery.judge("""
                INSERT INTO item_drafts (author_id, item_sku, changes, version)
                    VALUES (CAST($1 AS text), CAST($2 AS text), CAST($3 AS jsonb), $5)
                    ON CONFLICT (author_id, item_sku) DO UPDATE
                       SET changes = item_drafts.changes || EXCLUDED.changes,
                           version = item_drafts.version + $6,
                           updated_at = now()
                     WHERE item_drafts.version = CAST($4 AS integer)""", DRAFTS, COLUMNS);
        assertThat(v.rejection()).isNull();
        assertThat(v.judged().statement()).contains("VALUES (CAST(:owner AS text), CAST(:key AS text), "
                + "CAST(:patch AS jsonb), 1)", "version = item_drafts.version + 1",
                "WHERE item_drafts.version = CAST(:expectedVersion AS integer)").doesNotContain("$");
        assertThat(v.judged().versionColumn()).isEqualTo("version");
        assertThat(v.judged().bumps()).as("the + 1 is a normalized constant here, not seen").isFalse();
        assertThat(v.judged().constants()).containsExactly("$5 (the first version)", "$6 (the bump of version)");
    }

    @Test
    void anUpdateMergingThePatchWithCastsTakesRolesFromComparisons() {
        WriteStatementDiscovery.Verdict v = WriteStatementDiscovery.judge("UPDATE item_drafts SET changes = changes "
                + "|| $1::jsonb, version = version + $5 WHERE item_sku = $2 AND author_id = $3 AND version = $4",
                DRAFTS, COLUMNS);
        assertThat(v.judged().statement()).isEqualTo("UPDATE item_drafts SET changes = changes || :patch::jsonb, "
                + "version = version + 1 WHERE item_sku = :key AND author_id = :owner AND version = :expectedVersion");
    }

    @Test
    void aSaveWithoutAVersionPredicateOrWithAnUnplacedParameterIsNotTaken() {
        assertThat(WriteStatementDiscovery.judge("UPDATE item_drafts SET changes = changes || $1 WHERE item_sku = $2 "
                + "AND author_id = $3", DRAFTS, COLUMNS).rejection()).contains("no version predicate");
        assertThat(WriteStatementDiscovery.judge("UPDATE item_drafts SET changes = changes || $1, note = $5 WHERE "
                + "item_sku = $2 AND author_id = $3 AND version = $4", DRAFTS, COLUMNS).rejection())
                .contains("cannot tell what $5 is");
        assertThat(WriteStatementDiscovery.judge("UPDATE item_drafts SET version = version + $4 WHERE item_sku = $1 "
                + "AND author_id = $2 AND version = $3", DRAFTS, COLUMNS).rejection()).contains("does not set changes");
    }
}
