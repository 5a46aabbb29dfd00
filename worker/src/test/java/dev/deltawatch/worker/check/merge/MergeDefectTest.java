package dev.deltawatch.worker.check.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class MergeDefectTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonDiff.Difference> diff(String expected, String actual) throws Exception {
        return JsonDiff.diff(expected == null ? null : JSON.readTree(expected),
                actual == null ? null : JSON.readTree(actual), 5);
    }

    @Test
    void sameDefectOnDifferentKeysIsOneSignature() throws Exception {
        String color = MergeDefect.signature(diff("{\"a\":1}", "{\"a\":1,\"color\":null}"));
        String size = MergeDefect.signature(diff("{\"b\":1}", "{\"b\":1,\"size\":null}"));
        assertEquals("$…: absent → null", color);
        assertEquals(color, size);
        assertEquals(MergeDefect.fingerprint("t", "r", "public.x", diff("{}", "{\"q\":null}")),
                MergeDefect.fingerprint("t", "r", "public.x", diff("{}", "{\"odd key\":null}")));
    }

    @Test
    void valuesLostAtAnyDepthAndOfAnyKindAreOneDefectButALostNullIsAnother() throws Exception {
        // A shallow merge: what it loses depends on each record's data, not on the defect.
        String number = MergeDefect.signature(diff("{\"a\":{\"x\":1,\"y\":2}}", "{\"a\":{\"y\":2}}"));
        String object = MergeDefect.signature(diff("{\"a\":{\"b\":{\"c\":{\"d\":\"s\"}}}}",
                "{\"a\":{\"b\":{}}}"));
        assertEquals("$…: value → absent", number);
        assertEquals(number, object);
        assertEquals("$…: null → absent", MergeDefect.signature(diff("{\"a\":null}", "{}")));
        assertEquals("$…: absent → value", MergeDefect.signature(diff("{}", "{\"audit\":1}")));
    }

    @Test
    void aReplacedValueIsOneDefectWhateverItsKindsAndADocumentSignsAsItsFirstShape() throws Exception {
        // A mirror that wins over the delta replaces strings in one record and arrays or numbers in the next.
        String string = MergeDefect.signature(diff("{\"t\":\"delta\"}", "{\"t\":\"mirror\"}"));
        assertEquals("$…: value → other value", string);
        assertEquals(string, MergeDefect.signature(diff("{\"n\":[1,2]}", "{\"n\":{\"x\":1}}")));
        assertEquals(string, MergeDefect.signature(diff("{\"z\":\"0\"}", "{\"z\":0}")));
        // Two shapes in one document: the group of the first (sorted), never a group of the combination.
        assertEquals("$…: absent → null", MergeDefect.signature(
                diff("{\"a\":{\"x\":1}}", "{\"a\":{\"y\":null}}")));
    }

    @Test
    void differentShapesAreDifferentDefects() throws Exception {
        assertEquals("$…[*]: value → other value", MergeDefect.signature(
                diff("{\"a\":{\"b\":[1]}}", "{\"a\":{\"b\":[\"1\"]}}")));
        assertNotEquals(MergeDefect.signature(diff("{\"a\":1}", "{\"a\":null}")),
                MergeDefect.signature(diff("{\"a\":1}", "{\"a\":2}")));
        assertEquals("$: object → SQL NULL", MergeDefect.signature(diff("{\"a\":1}", null)));
        assertNotEquals(MergeDefect.signature(diff("{\"a\":[1]}", "{\"a\":[1,2]}")),
                MergeDefect.signature(diff("{\"a\":{}}", "{\"a\":{\"x\":1}}")));
    }
}
