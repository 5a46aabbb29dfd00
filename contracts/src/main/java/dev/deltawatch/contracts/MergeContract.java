package dev.deltawatch.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How the team declared that mirror and delta merge. The merge checks hold the database's merge
 * function to this declaration; deep + delete + replace + empty is RFC 7386 JSON Merge Patch.
 *
 * @param objects      objects in both documents merge key by key ({@code deep}) or the delta's replaces ({@code shallow})
 * @param deltaNull    a JSON null in the delta sets the key to null ({@code override}) or removes it ({@code delete})
 * @param arrays       an array in the delta {@code replace}s, is appended to ({@code append}), or unioned ({@code union})
 * @param sqlNull      a SQL NULL mirror or delta counts as {@code {}} ({@code empty}) or makes the result NULL ({@code propagate})
 * @param typeCoercion only {@code none}: {@code "0"} stays a string
 */
public record MergeContract(Objects objects, DeltaNull deltaNull, Arrays arrays, SqlNull sqlNull,
                            TypeCoercion typeCoercion) {

    public enum Objects { @JsonProperty("deep") DEEP, @JsonProperty("shallow") SHALLOW }

    public enum DeltaNull { @JsonProperty("override") OVERRIDE, @JsonProperty("delete") DELETE }

    public enum Arrays { @JsonProperty("replace") REPLACE, @JsonProperty("append") APPEND, @JsonProperty("union") UNION }

    public enum SqlNull { @JsonProperty("empty") EMPTY, @JsonProperty("propagate") PROPAGATE }

    public enum TypeCoercion { @JsonProperty("none") NONE }

    public MergeContract {
        Require.present(objects, "merge.contract.objects");
        Require.present(deltaNull, "merge.contract.deltaNull");
        Require.present(arrays, "merge.contract.arrays");
        Require.present(sqlNull, "merge.contract.sqlNull");
        typeCoercion = typeCoercion == null ? TypeCoercion.NONE : typeCoercion;
    }

    /** The reference target's contract: deep objects, null overrides, arrays replace, SQL NULL is {@code {}}. */
    public static MergeContract reference() {
        return new MergeContract(Objects.DEEP, DeltaNull.OVERRIDE, Arrays.REPLACE, SqlNull.EMPTY, TypeCoercion.NONE);
    }

    /** RFC 7386 JSON Merge Patch. */
    public static MergeContract rfc7386() {
        return new MergeContract(Objects.DEEP, DeltaNull.DELETE, Arrays.REPLACE, SqlNull.EMPTY, TypeCoercion.NONE);
    }
}
