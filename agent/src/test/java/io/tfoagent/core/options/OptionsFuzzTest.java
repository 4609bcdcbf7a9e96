package io.tfoagent.core.options;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tfoagent.core.AgentLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile option strings, written and generated: whatever arrives, the parser returns (never
 * throws), and every line it would have the agent say is one bounded line of printable
 * characters. A corpus plus a seeded generator rather than a property-testing library: the
 * hostile cases are known classes (digits of every script, control bytes, floods, separators),
 * and a fixed seed replays any failure exactly; the seed is in the failure message.
 */
class OptionsFuzzTest {
    /** A line may quote one entry and the inner value of a policy error, each cut at Printable's limit, plus fixed words. */
    private static final int MAX_LINE = 1_200;
    private static final long SEED = 0x7f0a9e17L;
    private static final int GENERATED = 20_000;

    private static final String[] KEYS = {"server", "qlen", "server-allow", "server-deny", "allow", "deny", "trust",
        "safe-method", "idle-open-ms", "cache-dir", "log", "strict", "", " ", "QLEN", "qlen\u0000", "q\u0131en",
        "\uff51len", "\u202estrict", "k\u00e9y", "\ud83d\ude00"};
    private static final String[] VALUES = {"", "0", "1", "5", "-1", "+5", "65535", "65536", "2147483648",
        "99999999999999999999999", "\uff15", "\u0665", "\u06f5", "\u096b", "\u0e55", "\ud835\udfd3", "1\u0660",
        "on", "off", "true", "TRUE", "file:", "file:/dev/full", "file:/tmp", "file:/nonexistent/dir/x.log",
        "file:/tmp/a\u0000b", "file:relative", "stderr", "=", "==", "*", ":80", ":\uff18\uff10", "[::1", "[::1]:x",
        "1.2.3.4/33", "*.example.com", "a..b", "-a.com", "GET", "G E T", "\u001b[2J", "\u0007", "\u0085", "\u2028",
        "\ud800", "\ufeff", "x".repeat(100_000), "\u0000".repeat(5_000), "a.".repeat(200), "/".repeat(300)};
    private static final String[] SEPARATORS = {",", "\n", "\r\n", ",,", ", ,", "\r"};

    @Test
    void writtenCorpus() {
        List<String> corpus = new ArrayList<>(List.of("", ",", ",,,", "=", "==", "===", "=,=", "qlen", "qlen==5",
                "qlen=5=6", "qlen=5,", ",qlen=5", "qlen=\uff15", "idle-open-ms=\u0665", "log=file:/dev/full",
                "log=file:/tmp", "log=file:/nonexistent/x/y", "log=file:/tmp/a\nb", "strict=true,qlen=\u0000",
                "\u0000=\u0000", "x,".repeat(50_000), "qlen=" + "9".repeat(100_000),
                "allow=" + "a".repeat(100_000) + ".com", "server-deny=" + "[".repeat(1_000),
                "bogus=" + "\u001b".repeat(1_000), "\ud83d\ude00=\ud83d\ude00"));
        for (String key : KEYS) {
            for (String value : VALUES) {
                corpus.add(key + "=" + value);
            }
        }
        for (String entry : corpus) {
            check(entry, null, "corpus");
            check(null, entry, "corpus");
        }
    }

    @Test
    void generatedEntries() {
        Random random = new Random(SEED);
        for (int i = 0; i < GENERATED; i++) {
            StringBuilder options = new StringBuilder();
            int entries = random.nextInt(6);
            for (int e = 0; e < entries; e++) {
                options.append(pick(random, KEYS)).append(random.nextInt(8) == 0 ? "" : "=")
                        .append(random.nextBoolean() ? pick(random, VALUES) : randomText(random))
                        .append(pick(random, SEPARATORS));
            }
            check(random.nextBoolean() ? options.toString() : null, options.toString(), "seed " + SEED + " case " + i);
        }
    }

    private static void check(String environment, String arguments, String which) {
        AgentOptions options;
        try {
            options = OptionsParser.parse(environment, arguments);
        } catch (RuntimeException | Error e) {
            throw new AssertionError(which + ": parse threw for " + show(environment) + " / " + show(arguments), e);
        }
        assertTrue(options.rejected().size() <= OptionsParser.MAX_NAMED_REJECTIONS + 1, which);
        for (String line : options.rejected()) {
            // The runtime's strict line adds a fixed suffix to one of these; AgentLog adds its prefix.
            String said = AgentLog.PREFIX + line;
            if (said.length() > MAX_LINE) {
                fail(which + ": " + said.length() + "-char line: " + said.substring(0, 300));
            }
            for (int i = 0; i < said.length(); i++) {
                char c = said.charAt(i);
                if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029' || c == '\u202e'
                        || Character.isSurrogate(c) && !validPair(said, i)) {
                    fail(which + ": raw U+" + Integer.toHexString(c) + " at " + i + " in " + said);
                }
            }
        }
    }

    private static boolean validPair(String s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /** Characters from the classes that break logs: C0/C1 controls, separators, digits of other scripts, surrogates. */
    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(40);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(6)) {
                case 0:
                    text.append((char) random.nextInt(0x20));
                    break;
                case 1:
                    text.append((char) (0x7f + random.nextInt(0x21)));
                    break;
                case 2:
                    text.append((char) random.nextInt(0x10000));
                    break;
                case 3:
                    text.append(",=:/[]*.-".charAt(random.nextInt(9)));
                    break;
                default:
                    text.append((char) ('0' + random.nextInt(10)));
            }
        }
        return text.toString();
    }

    private static String pick(Random random, String[] from) {
        return from[random.nextInt(from.length)];
    }

    private static String show(String s) {
        return s == null ? "null" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
