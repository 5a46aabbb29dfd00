package dev.deltawatch.worker.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;

/**
 * One line for a YAML syntax error, with the line and column where the parser gave up: SnakeYAML's own message
 * ("mapping values are not allowed here") says what but not where, and a config file is fixed by going there.
 */
final class YamlErrors {
    private YamlErrors() {}

    /** {@code not valid YAML at line L, column C: <what>}; without a position when the parser gave none. */
    static String describe(IOException e) {
        String what = e instanceof JsonProcessingException j && j.getOriginalMessage() != null
                ? j.getOriginalMessage() : String.valueOf(e.getMessage());
        what = what.lines().findFirst().orElse(what).trim();
        JsonLocation at = e instanceof JsonProcessingException j ? j.getLocation() : null;
        if (at == null || at.getLineNr() < 1) {
            return "not valid YAML: " + what;
        }
        return "not valid YAML at line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + what;
    }
}
