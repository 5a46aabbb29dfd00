package dev.deltawatch.worker.discover;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfigDiffTest {
    @Test
    void equalTextsHaveNoDiff() {
        assertThat(ConfigDiff.lines("a\nb\n", "a\nb\n")).isEmpty();
    }

    @Test
    void showsOnlyTheChangedLinesExistingFirst() {
        assertThat(ConfigDiff.lines("a\nkind: token\nc\n", "a\nkind: integer\nc\nd\n"))
                .containsExactly("- kind: token", "+ kind: integer", "+ d");
    }
}
