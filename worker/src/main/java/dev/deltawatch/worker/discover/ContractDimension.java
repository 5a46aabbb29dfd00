package dev.deltawatch.worker.discover;

import dev.deltawatch.contracts.MergeContract;
import dev.deltawatch.contracts.MergeContract.SqlNull;
import dev.deltawatch.contracts.MergeContract.SqlNullRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One decision of a {@link MergeContract} that inference chooses independently: the SQL NULL rule counts as two,
 * one per side. Type coercion is not here: {@code none} is its only value, so there is nothing to choose.
 * The first value of each dimension is the default where no evidence tells the values apart.
 */
enum ContractDimension {
    OBJECTS("objects", MergeContract.Objects.values()),
    DELTA_NULL("deltaNull", MergeContract.DeltaNull.values()),
    ARRAYS("arrays", MergeContract.Arrays.values()),
    SQL_NULL_MIRROR("sqlNull.mirror", SqlNull.values()),
    SQL_NULL_DELTA("sqlNull.delta", SqlNull.values());

    private final String key;
    private final Enum<?>[] values;

    ContractDimension(String key, Enum<?>[] values) {
        this.key = key;
        this.values = values;
    }

    /** The config key, e.g. {@code deltaNull} or {@code sqlNull.mirror}. */
    String key() {
        return key;
    }

    List<Enum<?>> choices() {
        return List.of(values);
    }

    Enum<?> of(MergeContract c) {
        return switch (this) {
            case OBJECTS -> c.objects();
            case DELTA_NULL -> c.deltaNull();
            case ARRAYS -> c.arrays();
            case SQL_NULL_MIRROR -> c.sqlNull().mirror();
            case SQL_NULL_DELTA -> c.sqlNull().delta();
        };
    }

    /** {@code c} with this dimension set to {@code value}. */
    MergeContract with(MergeContract c, Enum<?> value) {
        return switch (this) {
            case OBJECTS -> new MergeContract((MergeContract.Objects) value, c.deltaNull(), c.arrays(), c.sqlNull(),
                    c.typeCoercion());
            case DELTA_NULL -> new MergeContract(c.objects(), (MergeContract.DeltaNull) value, c.arrays(), c.sqlNull(),
                    c.typeCoercion());
            case ARRAYS -> new MergeContract(c.objects(), c.deltaNull(), (MergeContract.Arrays) value, c.sqlNull(),
                    c.typeCoercion());
            case SQL_NULL_MIRROR -> new MergeContract(c.objects(), c.deltaNull(), c.arrays(),
                    new SqlNullRule((SqlNull) value, c.sqlNull().delta()), c.typeCoercion());
            case SQL_NULL_DELTA -> new MergeContract(c.objects(), c.deltaNull(), c.arrays(),
                    new SqlNullRule(c.sqlNull().mirror(), (SqlNull) value), c.typeCoercion());
        };
    }

    /** The value as the target config spells it ({@code deep}, {@code propagate}, ...). */
    static String word(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** Every contract the dimensions can express (3 × 2 × 3 × 2 × 2 = 72), the defaults first. */
    static List<MergeContract> allContracts() {
        List<MergeContract> out = new ArrayList<>(List.of(MergeContract.reference()));
        for (ContractDimension d : values()) {
            List<MergeContract> next = new ArrayList<>();
            for (MergeContract c : out) {
                for (Enum<?> v : d.choices()) {
                    next.add(d.with(c, v));
                }
            }
            out = next;
        }
        return out;
    }
}
