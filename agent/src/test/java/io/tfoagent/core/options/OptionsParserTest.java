package io.tfoagent.core.options;

import io.tfoagent.core.client.ClientTimings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OptionsParserTest {

    private static InetSocketAddress at(String literal, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(literal), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** The one line the options' single bad entry costs. */
    private static String rejected(String environment, String arguments) {
        List<String> rejected = OptionsParser.parse(environment, arguments).rejected();
        assertEquals(1, rejected.size(), rejected::toString);
        return rejected.get(0);
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "'" + message + "' should contain '" + part + "'");
        }
    }

    // --- defaults ---

    @Test
    void defaults() {
        AgentOptions o = OptionsParser.parse(null, null);
        assertTrue(o.server());
        assertEquals(100, o.qlenFor(100));
        assertEquals(4096, o.qlenFor(4096));
        assertEquals("backlog", o.qlenDescription());
        assertSame(LogTarget.STDERR, o.log());
        assertNull(o.log().file());
        assertFalse(o.log().off());
        assertEquals("stderr", o.log().toString());
        assertFalse(o.strict());
        assertEquals("", o.listenerPolicy().describe());
        assertTrue(o.listenerPolicy().allows(at("0.0.0.0", 8080)));
    }

    @ParameterizedTest
    @CsvSource(value = {"NULL,NULL", "'',''", "'   ',' \t '", "NULL,'  '", "' , ,',NULL", "',',','"},
            nullValues = "NULL")
    void blankInputsGiveDefaults(String environment, String arguments) {
        AgentOptions o = OptionsParser.parse(environment, arguments);
        assertTrue(o.server());
        assertEquals(77, o.qlenFor(77));
        assertSame(LogTarget.STDERR, o.log());
        assertFalse(o.strict());
    }

    @Test
    void environmentVariableName() {
        assertEquals("TFO_AGENT_OPTIONS", OptionsParser.ENVIRONMENT_VARIABLE);
    }

    // --- values ---

    @Test
    void allOptionsTogether() {
        AgentOptions o = OptionsParser.parse(null,
                "server=off,qlen=32,server-allow=:8080,server-deny=127.0.0.1,log=off,strict=true");
        assertFalse(o.server());
        assertEquals(32, o.qlenFor(100));
        assertEquals(32, o.qlenFor(1));
        assertEquals("32", o.qlenDescription());
        assertSame(LogTarget.OFF, o.log());
        assertTrue(o.log().off());
        assertEquals("off", o.log().toString());
        assertTrue(o.strict());
        assertEquals(" allow [:8080] deny [127.0.0.1]", o.listenerPolicy().describe());
        assertTrue(o.listenerPolicy().allows(at("0.0.0.0", 8080)));
        assertFalse(o.listenerPolicy().allows(at("127.0.0.1", 8080)));
        assertFalse(o.listenerPolicy().allows(at("0.0.0.0", 8081)));
    }

    @ParameterizedTest
    @CsvSource({"on,true", "ON,true", "On,true", "true,true", "TRUE,true", "off,false", "OFF,false", "Off,false",
            "false,false", "False,false"})
    void serverOnOff(String value, boolean expected) {
        assertEquals(expected, OptionsParser.parse(null, "server=" + value).server());
    }

    @ParameterizedTest
    @CsvSource({"true,true", "TRUE,true", "True,true", "false,false", "FALSE,false"})
    void strictTrueFalse(String value, boolean expected) {
        assertEquals(expected, OptionsParser.parse(null, "strict=" + value).strict());
    }

    @Test
    void qlenBounds() {
        assertEquals(1, OptionsParser.parse(null, "qlen=1").qlenFor(100));
        assertEquals(65535, OptionsParser.parse(null, "qlen=65535").qlenFor(100));
        assertEquals("65535", OptionsParser.parse(null, "qlen=65535").qlenDescription());
    }

    @Test
    void logFileKeepsPath() {
        LogTarget log = OptionsParser.parse(null, "log=file:/tmp/x").log();
        assertEquals(Paths.get("/tmp/x"), log.file());
        assertFalse(log.off());
        assertEquals("file:/tmp/x", log.toString());
        // The scheme is case-insensitive, the path is kept as written.
        assertEquals(Paths.get("/tmp/Some Dir/A.log"),
                OptionsParser.parse(null, "log=FILE:/tmp/Some Dir/A.log").log().file());
        assertEquals(Paths.get("relative.log"), OptionsParser.parse(null, "log=file:relative.log").log().file());
    }

    @Test
    void logKeywordsAreCaseInsensitive() {
        assertSame(LogTarget.OFF, OptionsParser.parse(null, "log=OFF").log());
        assertSame(LogTarget.STDERR, OptionsParser.parse(null, "log=StdErr").log());
        assertSame(LogTarget.STDERR, OptionsParser.parse("log=off", "log=stderr").log());
    }

    @Test
    void whitespaceAroundEntriesKeysAndValues() {
        AgentOptions o = OptionsParser.parse("  qlen = 12 ,  server\t=\toff  ",
                " , log =  file:/tmp/y  ,strict = true , server-deny = 10.0.0.0/8 ");
        assertEquals(12, o.qlenFor(100));
        assertFalse(o.server());
        assertEquals(Paths.get("/tmp/y"), o.log().file());
        assertTrue(o.strict());
        assertFalse(o.listenerPolicy().allows(at("10.1.2.3", 80)));
        assertTrue(o.listenerPolicy().allows(at("11.1.2.3", 80)));
    }

    @Test
    void keysAreCaseInsensitive() {
        AgentOptions o = OptionsParser.parse(null, "SERVER=off,QLen=9,Server-Deny=:22,LOG=off,Strict=true");
        assertFalse(o.server());
        assertEquals(9, o.qlenFor(100));
        assertFalse(o.listenerPolicy().allows(at("0.0.0.0", 22)));
        assertTrue(o.listenerPolicy().allows(at("0.0.0.0", 23)));
        assertSame(LogTarget.OFF, o.log());
        assertTrue(o.strict());
    }

    // --- merging ---

    @Test
    void argumentsOverrideEnvironmentScalars() {
        AgentOptions o = OptionsParser.parse("qlen=5,server=off,log=off", "qlen=7,server=on,log=file:/tmp/z");
        assertEquals(7, o.qlenFor(100));
        assertTrue(o.server());
        assertEquals(Paths.get("/tmp/z"), o.log().file());
    }

    @Test
    void environmentAloneOrArgumentsAlone() {
        assertEquals(5, OptionsParser.parse("qlen=5", null).qlenFor(100));
        assertEquals(5, OptionsParser.parse("qlen=5", "").qlenFor(100));
        assertEquals(7, OptionsParser.parse(null, "qlen=7").qlenFor(100));
        assertEquals(7, OptionsParser.parse("  ", "qlen=7").qlenFor(100));
    }

    @Test
    void laterScalarWinsWithinOneSource() {
        assertEquals(3, OptionsParser.parse(null, "qlen=2,qlen=3").qlenFor(100));
        assertFalse(OptionsParser.parse("server=on,server=off", null).server());
    }

    @Test
    void listKeysAddUpFromBothSources() {
        AgentOptions o = OptionsParser.parse("server-deny=:22", "server-deny=127.0.0.1,server-deny=[::1]");
        assertFalse(o.listenerPolicy().allows(at("0.0.0.0", 22)));
        assertFalse(o.listenerPolicy().allows(at("127.0.0.1", 8080)));
        assertFalse(o.listenerPolicy().allows(at("::1", 8080)));
        assertTrue(o.listenerPolicy().allows(at("0.0.0.0", 8080)));
        assertEquals(" deny [:22, 127.0.0.1, [::1]]", o.listenerPolicy().describe());

        AgentOptions a = OptionsParser.parse("server-allow=:80", "server-allow=:443");
        assertTrue(a.listenerPolicy().allows(at("0.0.0.0", 80)));
        assertTrue(a.listenerPolicy().allows(at("0.0.0.0", 443)));
        assertFalse(a.listenerPolicy().allows(at("0.0.0.0", 8080)));
        assertEquals(" allow [:80, :443]", a.listenerPolicy().describe());
    }

    // --- errors: each costs its own entry and one line, the rest applies ---

    @Test
    void unknownKeyNamesItAndListsKnownOptions() {
        String line = rejected(null, "qlen=5,bogus=1");
        assertContains(line, "option 'bogus=1' rejected", "unknown key", "server", "qlen", "server-allow",
                "server-deny", "idle-open-ms", "log", "strict");
        assertEquals(5, OptionsParser.parse(null, "qlen=5,bogus=1").qlenFor(100));
    }

    @Test
    void unknownKeyInEnvironment() {
        assertContains(rejected("colour=blue", "qlen=5"), "'colour=blue'", "known");
    }

    @Test
    void emptyKey() {
        assertContains(rejected(null, "=5"), "'=5'", "no key");
        assertContains(rejected(null, "=="), "'=='", "no key");
    }

    @Test
    void entryWithoutEquals() {
        assertContains(rejected(null, "qlen=5,server"), "'server'", "no value", "KEY=VALUE", "known options");
        assertContains(rejected("verbose", null), "'verbose'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"qlen=", "server=", "log=", "strict=", "server-allow=", "server-deny=", "qlen=   "})
    void emptyValue(String entry) {
        assertContains(rejected(null, entry), "'" + entry.trim() + "'", "needs a value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no", "1", "0", "enabled", "onn"})
    void badServerValue(String value) {
        assertContains(rejected(null, "server=" + value), "'server=" + value + "'", "on or off", "default on");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "65536", "-1", "-5", "+5", "1.5", "99999999999", "0x10", " 1 2",
            "\uff15", "\u0665", "\u096b", "\u0e55", "1\uff10", "\ud835\udfd3"})
    void badQlenKeepsTheDefault(String value) {
        AgentOptions o = OptionsParser.parse(null, "qlen=" + value + ",server=off");
        assertEquals(1, o.rejected().size(), o.rejected()::toString);
        assertContains(o.rejected().get(0), "option 'qlen=", "from 1 to 65535", "ASCII digits",
                "default: the listen backlog");
        assertEquals(100, o.qlenFor(100));
        assertFalse(o.server(), "the other entries apply");
    }

    /** Fullwidth, Arabic-Indic, Devanagari, Thai, mathematical digits: ASCII only, for every number. */
    @ParameterizedTest
    @ValueSource(strings = {"\uff15", "\u0665", "\u096b", "\u0e55", "1\uff10", "\ud835\udfd3", "+5", "-1",
            "0", "1001", "99999999999999999999"})
    void badIdleOpenMsKeepsTheDefault(String value) {
        AgentOptions o = OptionsParser.parse(null, "idle-open-ms=" + value + ",qlen=9");
        assertEquals(1, o.rejected().size(), o.rejected()::toString);
        assertContains(o.rejected().get(0), "option 'idle-open-ms=", "from 1 to 1000", "(default 5)");
        assertEquals(AgentOptions.DEFAULT_IDLE_OPEN_MS, o.clientTimings().idleOpenMillis());
        assertEquals(9, o.qlenFor(100));
    }

    @Test
    void numbersAtTheirBounds() {
        assertEquals(1, OptionsParser.parse(null, "idle-open-ms=1").clientTimings().idleOpenMillis());
        assertEquals(1000, OptionsParser.parse(null, "idle-open-ms=1000").clientTimings().idleOpenMillis());
        assertEquals(7, OptionsParser.parse(null, "idle-open-ms=007").clientTimings().idleOpenMillis());
        assertEquals(List.of(), OptionsParser.parse(null, "qlen=1,idle-open-ms=1000").rejected());
    }

    @Test
    void logInterval() {
        assertEquals(AgentOptions.DEFAULT_LOG_INTERVAL_SECONDS, OptionsParser.parse(null, "").logIntervalSeconds());
        assertEquals(0, OptionsParser.parse(null, "log-interval=0").logIntervalSeconds());
        assertEquals(86_400, OptionsParser.parse(null, "log-interval=86400").logIntervalSeconds());
        assertEquals(5, OptionsParser.parse("log-interval=9", "log-interval=5").logIntervalSeconds());
    }

    @ParameterizedTest
    @ValueSource(strings = {"86401", "-1", "+5", "1.5", "5s", "\uff15", "\u0665", "99999999999999999999"})
    void badLogIntervalKeepsTheDefault(String value) {
        AgentOptions o = OptionsParser.parse(null, "log-interval=" + value + ",qlen=9");
        assertEquals(1, o.rejected().size(), o.rejected()::toString);
        assertContains(o.rejected().get(0), "option 'log-interval=", "from 0 to 86400", "ASCII digits",
                "(default 60)");
        assertEquals(AgentOptions.DEFAULT_LOG_INTERVAL_SECONDS, o.logIntervalSeconds());
        assertEquals(9, o.qlenFor(100), "the other entries apply");
    }

    @Test
    void backoffTimes() {
        ClientTimings defaults = OptionsParser.parse(null, "").clientTimings();
        assertEquals(ClientTimings.DEFAULT_BACKOFF_MILLIS, defaults.backoffMillis());
        assertEquals(ClientTimings.DEFAULT_MAX_BACKOFF_MILLIS, defaults.maxBackoffMillis());
        ClientTimings set = OptionsParser.parse(null, "backoff-ms=300,backoff-max-ms=1000").clientTimings();
        assertEquals(300, set.backoffMillis());
        assertEquals(1000, set.maxBackoffMillis());
        assertEquals(5000, OptionsParser.parse(null, "backoff-ms=5000,backoff-max-ms=10").clientTimings()
                .maxBackoffMillis(), "the maximum is never below the first backoff");
        AgentOptions bad = OptionsParser.parse(null, "backoff-ms=0,backoff-max-ms=86400001");
        assertEquals(2, bad.rejected().size(), bad.rejected()::toString);
        assertContains(bad.rejected().get(0), "backoff-ms=0", "from 1 to 86400000", "(default 60000)");
        assertEquals(ClientTimings.DEFAULT_BACKOFF_MILLIS, bad.clientTimings().backoffMillis());
    }

    @Test
    void portsAndPrefixesTakeAsciiDigitsOnly() {
        assertContains(rejected(null, "server-deny=:\uff18\uff10"), "server-deny");
        assertContains(rejected(null, "allow=198.18.0.0/\u0661\u0665"), "allow");
        assertContains(rejected(null, "deny=\u0661.2.3.4"), "deny");
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:", "FILE:", "foo", "stdout", "file", "/tmp/x", "file:/tmp/a\u0000b"})
    void badLog(String value) {
        AgentOptions o = OptionsParser.parse(null, "log=" + value);
        assertContains(o.rejected().get(0), "option 'log=", "(default stderr)");
        assertSame(LogTarget.STDERR, o.log());
    }

    @Test
    void badCacheDirKeepsTheDefault() {
        AgentOptions o = OptionsParser.parse(null, "cache-dir=relative");
        assertContains(o.rejected().get(0), "absolute path", "(default '");
        assertTrue(o.cacheDir().isAbsolute());
        assertContains(rejected(null, "cache-dir=/tmp/a\u0000b"), "not a usable path");
    }

    @Test
    void serverKeyIsAnAbsoluteFileOrRejectedWithTheKernelsKeyKept() {
        assertEquals(java.nio.file.Paths.get("/etc/tfo/keys"),
                OptionsParser.parse(null, "server-key=file:/etc/tfo/keys").serverKeyFile());
        assertNull(OptionsParser.parse(null, "").serverKeyFile());
        for (String bad : new String[] {"server-key=/etc/tfo/keys", "server-key=file:keys", "server-key=file:"}) {
            AgentOptions o = OptionsParser.parse(null, bad);
            assertContains(o.rejected().get(0), "expected file:PATH with an absolute path", "(default: the kernel's key)");
            assertNull(o.serverKeyFile());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "on", "1", "maybe"})
    void badStrict(String value) {
        assertContains(rejected(null, "strict=" + value), "'strict=" + value + "'", "true or false",
                "default false");
    }

    @Test
    void badServerAllowAddress() {
        assertContains(rejected(null, "server-allow=example.com"), "server-allow", "example.com");
    }

    @Test
    void badServerDenyAddress() {
        assertContains(rejected("server-deny=1.2.3.4/33", null), "server-deny", "1.2.3.4/33", "32");
        assertContains(rejected(null, "server-deny=:90-80"), "server-deny=:90-80");
        assertContains(rejected(null, "server-allow=[::1"), "server-allow=[::1", "]");
    }

    @Test
    void badListEntryLeavesTheOthersOfItsList() {
        AgentOptions o = OptionsParser.parse(null, "server-deny=:22,server-deny=nonsense!,server-deny=:23");
        assertEquals(1, o.rejected().size());
        assertEquals(" deny [:22, :23]", o.listenerPolicy().describe());
    }

    @Test
    void everyBadEntryHasItsLineInOrder() {
        List<String> lines = OptionsParser.parse("qlen=0", "log=foo,bogus=1,server=on").rejected();
        assertEquals(3, lines.size(), lines::toString);
        assertContains(lines.get(0), "qlen=0");
        assertContains(lines.get(1), "log=foo");
        assertContains(lines.get(2), "bogus=1");
    }

    @Test
    void aFloodOfBadEntriesIsNamedUpToABound() {
        List<String> lines = OptionsParser.parse(null, "x,".repeat(50_000)).rejected();
        assertEquals(OptionsParser.MAX_NAMED_REJECTIONS + 1, lines.size());
        assertEquals((50_000 - OptionsParser.MAX_NAMED_REJECTIONS) + " more option entries rejected (only the first "
                + OptionsParser.MAX_NAMED_REJECTIONS + " are named)", lines.get(lines.size() - 1));
    }

    // --- what a message shows of what was written ---

    @Test
    void aHugeValueIsCutShort() {
        String value = "a".repeat(100_000);
        String line = rejected(null, "allow=" + value);
        assertTrue(line.length() < 1_000, line.length() + " chars");
        assertContains(line, "aaa...' (100006 chars) rejected");
    }

    @Test
    void controlCharactersAreEscaped() {
        String line = rejected(null, "qlen=1\u001b[2J\u0000\t\u202e\u0085x");
        assertContains(line, "'qlen=1\\u001b[2J\\u0000\\t\\u202e\\u0085x'");
        assertTrue(line.chars().noneMatch(c -> c < 0x20 || c == 0x7f), line);
    }

    // --- strict ---

    @Test
    void strictAnywhereMakesAnyRejectionCount() {
        for (String[] sources : new String[][] {{"qlen=0", "strict=true"}, {"strict=true", "qlen=0"},
                {null, "bogus=1,strict=true"}, {null, "qlen=x, Strict = TRUE "}, {"log=foo,qlen=3,strict=true", null},
                {null, "strict=true,server=maybe"}, {null, "strict=true,nokey"},
                {null, "strict=true,server-deny=example.com"}, {null, "strict=true,log=file:"},
                {null, "strict=true,qlen="}, {"qlen=0\n", "strict=true"}, {"qlen=0,\nstrict=true", null}}) {
            AgentOptions o = OptionsParser.parse(sources[0], sources[1]);
            assertTrue(o.strict(), String.join(" | ", sources[0] + "", sources[1] + ""));
            assertEquals(1, o.rejected().size(), o.rejected()::toString);
        }
    }

    @Test
    void lineBreaksAroundEntriesAreWhitespace() {
        AgentOptions o = OptionsParser.parse("qlen=4,\nserver=off,\n", "strict=true\n");
        assertEquals(4, o.qlenFor(100));
        assertFalse(o.server());
        assertTrue(o.strict());
        assertEquals(List.of(), o.rejected());
    }

    @Test
    void notStrictWithoutStrictTrue() {
        assertFalse(OptionsParser.parse(null, "qlen=0").strict());
        assertFalse(OptionsParser.parse("strict=false", "qlen=0").strict());
        assertFalse(OptionsParser.parse(null, "qlen=0,strict=false").strict());
        assertFalse(OptionsParser.parse(null, "strict=true,strict=false").strict());
        // Looks like strict=true but is not the strict option.
        assertFalse(OptionsParser.parse(null, "qlen=0,xstrict=true").strict());
        assertFalse(OptionsParser.parse(null, "strict=truely,qlen=0").strict());
        // A bad strict value is itself a rejected entry, and not strict.
        assertFalse(OptionsParser.parse(null, "strict=yes").strict());
    }
}
