package dev.deltawatch.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/**
 * How the team declared that mirror and delta merge. The merge checks hold the database's merge
 * function to this declaration; deep + delete + replace + empty is RFC 7386 JSON Merge Patch.
 *
 * @param objects      objects in both documents merge key by key ({@code deep}), the delta's top-level keys replace
 *                     the mirror's ({@code shallow}), or exactly jsonb {@code ||} ({@code concat}: shallow for two
 *                     objects, array concatenation and wrapping for everything else, as PostgreSQL defines it)
 * @param deltaNull    a JSON null in the delta sets the key to null ({@code override}) or removes it ({@code delete})
 * @param arrays       an array in the delta {@code replace}s, is appended to ({@code append}), or unioned ({@code union})
 * @param sqlNull      per side: a SQL NULL mirror or delta counts as {@code {}} ({@code empty}) or makes the result
 *                     NULL ({@code propagate}); YAML takes one word for both sides or {@code {mirror: .., delta: ..}}
 * @param typeCoercion only {@code none}: {@code "0"} stays a string
 */
public record MergeContract(Objects objects, DeltaNull deltaNull, Arrays arrays, SqlNullRule sqlNull,
                            TypeCoercion typeCoercion) {

    public enum Objects { @JsonProperty("deep") DEEP, @JsonProperty("shallow") SHALLOW, @JsonProperty("concat") CONCAT }

    public enum DeltaNull { @JsonProperty("override") OVERRIDE, @JsonProperty("delete") DELETE }

    public enum Arrays { @JsonProperty("replace") REPLACE, @JsonProperty("append") APPEND, @JsonProperty("union") UNION }

    public enum SqlNull { @JsonProperty("empty") EMPTY, @JsonProperty("propagate") PROPAGATE }

    public enum TypeCoercion { @JsonProperty("none") NONE }

    /** What a SQL NULL on each side means. */
    public record SqlNullRule(SqlNull mirror, SqlNull delta) {
        public SqlNullRule {
            Require.present(mirror, "merge.contract.sqlNull.mirror");
            Require.present(delta, "merge.contract.sqlNull.delta");
        }

        public static SqlNullRule both(SqlNull rule) {
            return new SqlNullRule(rule, rule);
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static SqlNullRule parse(Object node) {
            if (node instanceof String s) {
                return both(word(s, "merge.contract.sqlNull"));
            }
            if (node instanceof Map<?, ?> m) {
                return new SqlNullRule(word(m.get("mirror"), "merge.contract.sqlNull.mirror"),
                        word(m.get("delta"), "merge.contract.sqlNull.delta"));
            }
            throw new IllegalArgumentException("field 'merge.contract.sqlNull' must be empty, propagate or "
                    + "{mirror: ..., delta: ...}");
        }

        private static SqlNull word(Object value, String field) {
            if ("empty".equals(value)) {
                return SqlNull.EMPTY;
            }
            if ("propagate".equals(value)) {
                return SqlNull.PROPAGATE;
            }
            throw new IllegalArgumentException("field '" + field + "' must be empty or propagate, was " + value);
        }

        @JsonValue
        Object json() {
            return mirror == delta ? name(mirror) : Map.of("mirror", name(mirror), "delta", name(delta));
        }

        private static String name(SqlNull rule) {
            return rule == SqlNull.EMPTY ? "empty" : "propagate";
        }

        @Override
        public String toString() {
            return String.valueOf(json());
        }
    }

    public MergeContract {
        Require.present(objects, "merge.contract.objects");
        Require.present(deltaNull, "merge.contract.deltaNull");
        Require.present(arrays, "merge.contract.arrays");
        Require.present(sqlNull, "merge.contract.sqlNull");
        typeCoercion = typeCoercion == null ? TypeCoercion.NONE : typeCoercion;
    }

    public MergeContract(Objects objects, DeltaNull deltaNull, Arrays arrays, SqlNull sqlNull, TypeCoercion typeCoercion) {
        this(objects, deltaNull, arrays, SqlNullRule.both(sqlNull), typeCoercion);
    }

    /** The reference target's contract: deep objects, null overrides, arrays replace, SQL NULL is {@code {}}. */
    public static MergeContract reference() {
        return new MergeContract(Objects.DEEP, DeltaNull.OVERRIDE, Arrays.REPLACE, SqlNull.EMPTY, TypeCoercion.NONE);
    }

    /** RFC 7386 JSON Merge Patch. */
    public static MergeContract rfc7386() {
        return new MergeContract(Objects.DEEP, DeltaNull.DELETE, Arrays.REPLACE, SqlNull.EMPTY, TypeCoercion.NONE);
    }

    /** Exactly jsonb {@code mirror || delta}: SQL NULL on either side gives NULL. */
    public static MergeContract concat() {
        return new MergeContract(Objects.CONCAT, DeltaNull.OVERRIDE, Arrays.REPLACE, SqlNull.PROPAGATE, TypeCoercion.NONE);
    }
}
