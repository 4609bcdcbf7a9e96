package io.tfoagent.core.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Paths;
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

    private static OptionException fails(String environment, String arguments) {
        return assertThrows(OptionException.class, () -> OptionsParser.parse(environment, arguments));
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "'" + message + "' should contain '" + part + "'");
        }
    }

    // --- defaults ---

    @Test
    void defaults() throws OptionException {
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
    void blankInputsGiveDefaults(String environment, String arguments) throws OptionException {
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
    void allOptionsTogether() throws OptionException {
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
    void serverOnOff(String value, boolean expected) throws OptionException {
        assertEquals(expected, OptionsParser.parse(null, "server=" + value).server());
    }

    @ParameterizedTest
    @CsvSource({"true,true", "TRUE,true", "True,true", "false,false", "FALSE,false"})
    void strictTrueFalse(String value, boolean expected) throws OptionException {
        assertEquals(expected, OptionsParser.parse(null, "strict=" + value).strict());
    }

    @Test
    void qlenBounds() throws OptionException {
        assertEquals(1, OptionsParser.parse(null, "qlen=1").qlenFor(100));
        assertEquals(65535, OptionsParser.parse(null, "qlen=65535").qlenFor(100));
        assertEquals("65535", OptionsParser.parse(null, "qlen=65535").qlenDescription());
    }

    @Test
    void logFileKeepsPath() throws OptionException {
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
    void logKeywordsAreCaseInsensitive() throws OptionException {
        assertSame(LogTarget.OFF, OptionsParser.parse(null, "log=OFF").log());
        assertSame(LogTarget.STDERR, OptionsParser.parse(null, "log=StdErr").log());
        assertSame(LogTarget.STDERR, OptionsParser.parse("log=off", "log=stderr").log());
    }

    @Test
    void whitespaceAroundEntriesKeysAndValues() throws OptionException {
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
    void keysAreCaseInsensitive() throws OptionException {
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
    void argumentsOverrideEnvironmentScalars() throws OptionException {
        AgentOptions o = OptionsParser.parse("qlen=5,server=off,log=off", "qlen=7,server=on,log=file:/tmp/z");
        assertEquals(7, o.qlenFor(100));
        assertTrue(o.server());
        assertEquals(Paths.get("/tmp/z"), o.log().file());
    }

    @Test
    void environmentAloneOrArgumentsAlone() throws OptionException {
        assertEquals(5, OptionsParser.parse("qlen=5", null).qlenFor(100));
        assertEquals(5, OptionsParser.parse("qlen=5", "").qlenFor(100));
        assertEquals(7, OptionsParser.parse(null, "qlen=7").qlenFor(100));
        assertEquals(7, OptionsParser.parse("  ", "qlen=7").qlenFor(100));
    }

    @Test
    void laterScalarWinsWithinOneSource() throws OptionException {
        assertEquals(3, OptionsParser.parse(null, "qlen=2,qlen=3").qlenFor(100));
        assertFalse(OptionsParser.parse("server=on,server=off", null).server());
    }

    @Test
    void listKeysAddUpFromBothSources() throws OptionException {
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

    // --- errors ---

    @Test
    void unknownKeyNamesItAndListsKnownOptions() {
        OptionException e = fails(null, "qlen=5,bogus=1");
        assertContains(e.getMessage(), "'bogus'", "server", "qlen", "server-allow", "server-deny", "log", "strict");
        assertFalse(e.strict());
    }

    @Test
    void unknownKeyInEnvironment() {
        OptionException e = fails("colour=blue", "qlen=5");
        assertContains(e.getMessage(), "'colour'", "known");
    }

    @Test
    void emptyKey() {
        OptionException e = fails(null, "=5");
        assertContains(e.getMessage(), "''");
    }

    @Test
    void entryWithoutEquals() {
        OptionException e = fails(null, "qlen=5,server");
        assertContains(e.getMessage(), "'server'", "no value", "server=VALUE", "known options");
        assertContains(fails("verbose", null).getMessage(), "'verbose'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"qlen=", "server=", "log=", "strict=", "server-allow=", "server-deny=", "qlen=   "})
    void emptyValue(String entry) {
        OptionException e = fails(null, entry);
        String key = entry.substring(0, entry.indexOf('='));
        assertContains(e.getMessage(), "'" + key + "'", "needs a value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no", "1", "0", "enabled", "onn"})
    void badServerValue(String value) {
        OptionException e = fails(null, "server=" + value);
        assertContains(e.getMessage(), "server=" + value, "on or off");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "65536", "-1", "-5", "1.5", "99999999999", "0x10"})
    void badQlen(String value) {
        OptionException e = fails(null, "qlen=" + value);
        assertContains(e.getMessage(), "qlen=" + value, "1", "65535");
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:", "FILE:", "foo", "stdout", "file", "/tmp/x"})
    void badLog(String value) {
        OptionException e = fails(null, "log=" + value);
        assertContains(e.getMessage(), "log=" + value, "stderr", "off", "file:PATH");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "on", "1", "maybe"})
    void badStrict(String value) {
        OptionException e = fails(null, "strict=" + value);
        assertContains(e.getMessage(), "strict=" + value, "true or false");
    }

    @Test
    void badServerAllowAddress() {
        OptionException e = fails(null, "server-allow=example.com");
        assertContains(e.getMessage(), "server-allow", "example.com");
    }

    @Test
    void badServerDenyAddress() {
        OptionException e = fails("server-deny=1.2.3.4/33", null);
        assertContains(e.getMessage(), "server-deny", "1.2.3.4/33", "32");
        assertContains(fails(null, "server-deny=:90-80").getMessage(), "server-deny=:90-80");
        assertContains(fails(null, "server-allow=[::1").getMessage(), "server-allow=[::1", "]");
    }

    // --- strict and errors ---

    @Test
    void strictInArgumentsAfterBadEntryInEnvironment() {
        assertTrue(fails("qlen=0", "strict=true").strict());
    }

    @Test
    void strictInEnvironmentBeforeBadEntryInArguments() {
        assertTrue(fails("strict=true", "qlen=0").strict());
    }

    @Test
    void strictAfterBadEntryInSameSource() {
        assertTrue(fails(null, "bogus=1,strict=true").strict());
        assertTrue(fails(null, "qlen=x, Strict = TRUE ").strict());
        assertTrue(fails("log=foo,qlen=3,strict=true", null).strict());
    }

    @Test
    void strictBeforeBadEntryInSameSource() {
        assertTrue(fails(null, "strict=true,server=maybe").strict());
        assertTrue(fails(null, "strict=true,nokey").strict());
    }

    @Test
    void strictWithBadEntryOfEachKind() {
        assertTrue(fails(null, "strict=true,server-deny=example.com").strict());
        assertTrue(fails(null, "strict=true,log=file:").strict());
        assertTrue(fails(null, "strict=true,qlen=").strict());
    }

    @Test
    void strictFoundAcrossLineBreaks() {
        // Options written one per line (a multi-line env value, or one with a trailing newline
        // such as a YAML block scalar), joined with the agent arguments.
        // Multi-line environment values (YAML blocks) must not hide strict=true.
        assertTrue(fails("qlen=0\n", "strict=true").strict());
        assertTrue(fails("qlen=0,\nstrict=true", null).strict());
    }

    @Test
    void lineBreaksAroundEntriesAreWhitespace() throws OptionException {
        AgentOptions o = OptionsParser.parse("qlen=4,\nserver=off,\n", "strict=true\n");
        assertEquals(4, o.qlenFor(100));
        assertFalse(o.server());
        assertTrue(o.strict());
    }

    @Test
    void notStrictWithoutStrictTrue() {
        assertFalse(fails(null, "qlen=0").strict());
        assertFalse(fails("strict=false", "qlen=0").strict());
        assertFalse(fails(null, "qlen=0,strict=false").strict());
        // Looks like strict=true but is not the strict option.
        assertFalse(fails(null, "qlen=0,xstrict=true").strict());
        assertFalse(fails(null, "strict=truely,qlen=0").strict());
    }

    @Test
    void badStrictValueItselfIsNotStrict() {
        assertFalse(fails(null, "strict=yes").strict());
    }

    @Test
    void firstBadEntryIsTheOneReported() {
        OptionException e = fails("qlen=0", "log=foo");
        assertContains(e.getMessage(), "qlen=0");
        assertFalse(e.getMessage().contains("log=foo"), e.getMessage());
    }
}
