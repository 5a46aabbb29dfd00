package dev.deltawatch.worker.check.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded generator of (mirror, delta) pairs: the same seed gives the same pairs on every machine, so a reported
 * counterexample can be regenerated. Keys come from a small pool so deltas hit mirror keys often; deltas are
 * mostly derived from their mirror (overrides, nulls, nested edits, arrays) and sometimes unrelated or not an
 * object at all. Values include the troublemakers: {@code "0"} next to {@code 0}, unicode, exponents, nulls.
 */
final class DocumentGenerator {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final String[] KEYS = {"a", "b", "c", "name", "qty", "tags", "forecast", "0", "\u043a\u043b\u044e\u0447",
        "\uD83D\uDD11", "k y"};
    private static final String[] STRINGS = {"x", "0", "", "1.0", "Cranes", "\uD83D\uDE80", "\u0645\u0631\u062d\u0628\u0627",
        "a\u200Bb", "'; DROP TABLE t;--", "null"};

    private final SplittableRandom random;

    DocumentGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    MergeFunctionProbe.Pair next() {
        ObjectNode mirror = object(3);
        JsonNode delta;
        int shape = random.nextInt(100);
        if (shape < 3) {
            delta = scalarOrArray();
        } else if (shape < 6) {
            delta = NODES.objectNode();
        } else if (shape < 20) {
            delta = object(3);
        } else {
            delta = edit(mirror, 3);
        }
        return new MergeFunctionProbe.Pair(mirror, delta);
    }

    private ObjectNode object(int depth) {
        ObjectNode o = NODES.objectNode();
        int n = random.nextInt(depth == 3 ? 1 : 0, 5);
        for (int i = 0; i < n; i++) {
            o.set(key(), value(depth - 1));
        }
        return o;
    }

    /** A delta derived from {@code mirror}: some keys overridden, nulled, edited deeper, plus new keys. */
    private ObjectNode edit(JsonNode mirror, int depth) {
        ObjectNode d = NODES.objectNode();
        Iterator<String> names = mirror.fieldNames();
        List<String> keys = new ArrayList<>();
        names.forEachRemaining(keys::add);
        for (String k : keys) {
            int what = random.nextInt(10);
            JsonNode m = mirror.get(k);
            if (what < 4) {
                continue;
            } else if (what < 6) {
                d.putNull(k);
            } else if (what < 8 && m.isObject() && depth > 1) {
                d.set(k, edit(m, depth - 1));
            } else {
                d.set(k, value(depth - 1));
            }
        }
        if (random.nextInt(3) == 0) {
            d.set(key(), random.nextBoolean() ? NODES.nullNode() : value(depth - 1));
        }
        return d;
    }

    private JsonNode value(int depth) {
        int what = random.nextInt(depth > 0 ? 10 : 8);
        return switch (what) {
            case 0 -> NODES.nullNode();
            case 1, 2 -> NODES.textNode(STRINGS[random.nextInt(STRINGS.length)]);
            case 3 -> NODES.numberNode(random.nextInt(-3, 4));
            case 4 -> NODES.numberNode(number());
            case 5 -> NODES.booleanNode(random.nextBoolean());
            case 6, 7 -> array();
            default -> object(depth);
        };
    }

    private JsonNode scalarOrArray() {
        return random.nextBoolean() ? array() : NODES.textNode(STRINGS[random.nextInt(STRINGS.length)]);
    }

    private ArrayNode array() {
        ArrayNode a = NODES.arrayNode();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            a.add(random.nextInt(4) == 0 ? object(1) : value(0));
        }
        return a;
    }

    private BigDecimal number() {
        return switch (random.nextInt(4)) {
            case 0 -> new BigDecimal("1.50");
            case 1 -> new BigDecimal("1E+" + random.nextInt(1, 400));
            case 2 -> new BigDecimal("-2.5E-" + random.nextInt(1, 40));
            default -> BigDecimal.valueOf(random.nextLong(-1_000_000, 1_000_000), random.nextInt(0, 4));
        };
    }

    private String key() {
        return KEYS[random.nextInt(KEYS.length)];
    }
}
