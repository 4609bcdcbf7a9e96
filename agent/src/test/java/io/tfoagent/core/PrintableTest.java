package io.tfoagent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrintableTest {

    @Test
    void escapesWhatATerminalWouldNotShowAsItself() {
        String[][] cases = {
            {"qlen=5", "'qlen=5'"},
            {"a\nb", "'a\\nb'"},
            {"a\r\tb", "'a\\r\\tb'"},
            {"\0", "'\\u0000'"},
            {"\u001b[31mred", "'\\u001b[31mred'"},
            {"\u007f\u0085\u009b", "'\\u007f\\u0085\\u009b'"},
            {"\u202egnp.exe", "'\\u202egnp.exe'"},
            {"zero\u200bwidth", "'zero\\u200bwidth'"},
            {"\u2028\u2029", "'\\u2028\\u2029'"},
            {"\ufeffbom", "'\\ufeffbom'"},
            {"\ud800 lone", "'\\ud800 lone'"},
            {"\ue000 private", "'\\ue000 private'"},
            {"caf\u00e9 \uff15 \u0665", "'caf\u00e9 \uff15 \u0665'"},
            {"\ud83d\ude00", "'\ud83d\ude00'"},
            {"back\\slash", "'back\\slash'"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], Printable.quote(c[0]));
        }
    }

    @Test
    void cutsALongValueAndSaysHowLongItWas() {
        String quoted = Printable.quote("x".repeat(100_000));
        assertEquals("'" + "x".repeat(Printable.MAX_SHOWN) + "...' (100000 chars)", quoted);
        assertEquals("'" + "x".repeat(Printable.MAX_SHOWN) + "'", Printable.quote("x".repeat(Printable.MAX_SHOWN)));
    }

    @Test
    void theCutCountsEscapesAndNeverSplitsAPair() {
        String quoted = Printable.quote("\u0000".repeat(10_000));
        assertTrue(quoted.length() < Printable.MAX_SHOWN + 30, quoted);
        assertTrue(quoted.endsWith("...' (10000 chars)"), quoted);
        String emoji = Printable.quote("\ud83d\ude00".repeat(1_000));
        assertTrue(emoji.endsWith("\ud83d\ude00...' (2000 chars)"), emoji);
    }

    @Test
    void lineEscapesWithoutCuttingAndIsIdempotent() {
        String raw = "a\nb\u001b" + "y".repeat(1_000);
        String once = Printable.line(raw);
        assertEquals("a\\nb\\u001b" + "y".repeat(1_000), once);
        assertEquals(once, Printable.line(once));
        assertEquals(Printable.quote(raw), Printable.line(Printable.quote(raw)));
    }
}
