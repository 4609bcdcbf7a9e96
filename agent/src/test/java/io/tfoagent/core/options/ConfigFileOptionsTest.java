package io.tfoagent.core.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * config=PATH, the order in which the three sources merge, the effective options line and the
 * masking of secret keys' values: pure logic over real files in a temporary directory.
 */
class ConfigFileOptionsTest {
    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        Path f = dir.resolve("tfo.conf");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    private static InetSocketAddress at(String literal, int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(literal), port);
    }

    @Test
    void aFileGivesOneEntryALineAndSkipsCommentsAndBlankLines() throws IOException {
        Path f = file("# tfo-agent\n\n  idle-open-ms = 7  \r\n\t# indented comment\nserver-allow=:8080\r\nallow=198.18.0.0/15\n");
        AgentOptions o = OptionsParser.parse(null, "config=" + f);
        assertEquals(List.of(), o.rejected());
        assertEquals(7, o.clientTimings().idleOpenMillis());
        assertTrue(o.client());
        assertTrue(o.listenerPolicy().allows(at("0.0.0.0", 8080)));
        assertFalse(o.listenerPolicy().allows(at("0.0.0.0", 8081)));
    }

    @Test
    void laterSourcesWinPerKeyFileThenEnvironmentThenArguments() throws IOException {
        Path f = file("idle-open-ms=7\nbackoff-ms=11\nbackoff-max-ms=13\n");
        AgentOptions o = OptionsParser.parse("backoff-ms=21,backoff-max-ms=23", "config=" + f + ",backoff-max-ms=33");
        assertEquals(List.of(), o.rejected());
        assertEquals(7, o.clientTimings().idleOpenMillis(), "only the file gives it");
        assertEquals(21, o.clientTimings().backoffMillis(), "the environment over the file");
        assertEquals(33, o.clientTimings().maxBackoffMillis(), "the agent arguments over both");
    }

    @Test
    void theFileComesFirstEvenWhenConfigIsNamedAfterTheEntriesItWouldOverride() throws IOException {
        Path f = file("idle-open-ms=7\n");
        AgentOptions o = OptionsParser.parse(null, "idle-open-ms=9,config=" + f);
        assertEquals(9, o.clientTimings().idleOpenMillis());
    }

    @Test
    void listKeysAddUpAcrossSources() throws IOException {
        Path f = file("server-allow=:8080\n");
        AgentOptions o = OptionsParser.parse("server-allow=:8081", "config=" + f + ",server-allow=:8082");
        for (int port = 8080; port <= 8082; port++) {
            assertTrue(o.listenerPolicy().allows(at("0.0.0.0", port)), "port " + port);
        }
        assertFalse(o.listenerPolicy().allows(at("0.0.0.0", 8083)));
        assertEquals("options in effect: config='" + f + "' server-allow=':8080' server-allow=':8081'"
                + " server-allow=':8082' (the rest at their defaults)", "options in effect: " + o.effective());
    }

    @Test
    void theEnvironmentMayNameTheFileAndTheArgumentsOverrideWhichOne() throws IOException {
        Path first = file("idle-open-ms=7\n");
        Path second = dir.resolve("other.conf");
        Files.writeString(second, "idle-open-ms=8\n");
        assertEquals(7, OptionsParser.parse("config=" + first, null).clientTimings().idleOpenMillis());
        assertEquals(8, OptionsParser.parse("config=" + first, "config=" + second).clientTimings().idleOpenMillis());
    }

    @Test
    void aBadLineCostsOneLineNamingTheFileAndTheLineNumberAndTheRestApplies() throws IOException {
        Path f = file("idle-open-ms=7\n# fine\nqlen=0\nnonsense\nstrict=true\n");
        AgentOptions o = OptionsParser.parse(null, "config=" + f);
        assertEquals(7, o.clientTimings().idleOpenMillis());
        assertTrue(o.strict());
        assertEquals(2, o.rejected().size(), o.rejected()::toString);
        assertTrue(o.rejected().get(0).startsWith("config '" + f + "' line 3: option 'qlen=0' rejected: expected a whole"
                + " number from 1 to 65535"), o.rejected().get(0));
        assertTrue(o.rejected().get(1).startsWith("config '" + f + "' line 4: option 'nonsense' rejected: has no value"),
                o.rejected().get(1));
    }

    @Test
    void aFileCannotNameAnother() throws IOException {
        Path f = file("config=/etc/passwd\n");
        List<String> rejected = OptionsParser.parse(null, "config=" + f).rejected();
        assertEquals(List.of("config '" + f + "' line 1: option 'config=/etc/passwd' rejected: a config file cannot"
                + " name another (give config= in TFO_AGENT_OPTIONS or the agent arguments)"), rejected);
    }

    @Test
    void aMissingFileCostsOneLineAndTheOtherEntriesApply() {
        Path missing = dir.resolve("missing.conf");
        AgentOptions o = OptionsParser.parse("idle-open-ms=9", "config=" + missing + ",server=off");
        assertEquals(List.of("config '" + missing + "' no such file; no option was read from it"), o.rejected());
        assertEquals(9, o.clientTimings().idleOpenMillis());
        assertFalse(o.server());
    }

    @Test
    void unreadableDirectoryLargeAndNonUtf8FilesEachCostOneLine() throws IOException {
        assertEquals(List.of("config '" + dir + "' is a directory; no option was read from it"),
                OptionsParser.parse(null, "config=" + dir).rejected());
        Path large = file("#".repeat(ConfigFile.MAX_BYTES + 1));
        assertEquals(List.of("config '" + large + "' is larger than 64 KB; no option was read from it"),
                OptionsParser.parse(null, "config=" + large).rejected());
        Path latin1 = dir.resolve("latin1.conf");
        Files.write(latin1, new byte[] {'a', '=', (byte) 0xe9, '\n'});
        assertEquals(List.of("config '" + latin1 + "' is not UTF-8 text; no option was read from it"),
                OptionsParser.parse(null, "config=" + latin1).rejected());
        if (!"root".equals(System.getProperty("user.name"))) {
            Path secret = file("server=off\n");
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
            assertEquals(List.of("config '" + secret + "' permission denied; no option was read from it"),
                    OptionsParser.parse(null, "config=" + secret).rejected());
        }
    }

    @Test
    void configNeedsAnAbsolutePath() {
        assertEquals(List.of("option 'config=tfo.conf' rejected: expected the absolute path of a file of key=value"
                + " lines (default: no file)"), OptionsParser.parse(null, "config=tfo.conf").rejected());
    }

    @Test
    void aCommaInAFileLineIsPartOfTheValue() throws IOException {
        Path f = file("allow=198.18.0.2,198.18.0.3\n");
        List<String> rejected = OptionsParser.parse(null, "config=" + f).rejected();
        assertEquals(1, rejected.size());
        assertTrue(rejected.get(0).startsWith("config '" + f + "' line 1: option 'allow=198.18.0.2,198.18.0.3'"
                + " rejected: "), rejected.get(0));
    }

    @Test
    void theEffectiveLineIsSortedWithTheWinningValueAndListsInOrder() {
        AgentOptions o = OptionsParser.parse("log=stderr,allow=198.18.0.2,dry-run=false",
                "allow=[2001:2::/48],dry-run=true,bogus=1");
        assertEquals("allow='198.18.0.2' allow='[2001:2::/48]' dry-run='true' log='stderr' (the rest at their"
                + " defaults)", o.effective());
        assertEquals("none given (all at their defaults)", OptionsParser.parse(null, null).effective());
    }

    @Test
    void theEffectiveLineBoundsAndEscapesValues() {
        String path = "/tmp/" + "a".repeat(200) + "\u001b[2J";
        String line = OptionsParser.parse(null, "cache-dir=" + path).effective();
        assertTrue(line.startsWith("cache-dir='/tmp/aaa"), line);
        assertTrue(line.contains("...' (" + path.length() + " chars)"), line);
        assertFalse(line.contains("\u001b"), line);
        assertFalse(OptionsParser.parse(null, "cache-dir=/tmp/x\u001b[2J").effective().contains("\u001b"));
        assertTrue(OptionsParser.parse(null, "cache-dir=/tmp/x\u001b[2J").effective().contains("\\u001b"));
    }

    @Test
    void theEffectiveLineNamesAtMost24EntriesAndCountsTheRest() {
        String many = String.join(",", java.util.stream.IntStream.range(0, 1000)
                .mapToObj(i -> "server-allow=:" + (1000 + i)).toList());
        String line = OptionsParser.parse(null, many).effective();
        assertTrue(line.startsWith("server-allow=':1000' server-allow=':1001' "), line);
        assertTrue(line.endsWith(" server-allow=':1023' and 976 more entries (the rest at their defaults)"), line);
    }

    @Test
    void valuesOfKeysNamedKeyOrSecretAreNeverShown() {
        // server-key accepted: masked in the options in effect; a bad one, and an unknown secret, in their lines.
        AgentOptions o = OptionsParser.parse("server-key=file:/etc/tfo/key-hunter2", "api-secret=hunter2,SECRET");
        assertEquals(List.of("option 'api-secret=***' rejected: unknown key (known: " + OptionsParser.KNOWN + ")",
                "option '***' rejected: has no value (write it as KEY=VALUE; known options: " + OptionsParser.KNOWN + ")"),
                o.rejected());
        assertEquals("server-key=*** (the rest at their defaults)", o.effective());
        assertEquals(java.nio.file.Paths.get("/etc/tfo/key-hunter2"), o.serverKeyFile());
        assertEquals(List.of("option 'server-key=***' rejected: expected file:PATH with an absolute path"
                + " (default: the kernel's key)"), OptionsParser.parse(null, "server-key=hunter2").rejected());
        EffectiveOptions effective = new EffectiveOptions();
        effective.accepted("server-key", "file:/etc/tfo/key-hunter2");
        effective.accepted("Client-Secret", "hunter2");
        effective.accepted("qlen", "5");
        assertEquals("Client-Secret=*** qlen='5' server-key=*** (the rest at their defaults)", effective.line());
    }

    @Test
    void secretKeysAreMaskedInAFileLineToo() throws IOException {
        Path f = file("server-key=hunter2\n");
        List<String> rejected = OptionsParser.parse(null, "config=" + f).rejected();
        assertEquals(1, rejected.size());
        assertTrue(rejected.get(0).startsWith("config '" + f + "' line 1: option 'server-key=***' rejected"));
        assertFalse(rejected.get(0).contains("hunter2"));
    }

    @Test
    void dryRunAndTheSystemLogger() {
        assertFalse(OptionsParser.parse(null, null).dryRun());
        assertTrue(OptionsParser.parse(null, "dry-run=true").dryRun());
        assertTrue(OptionsParser.parse(null, "DRY-RUN=TRUE").dryRun());
        assertEquals(List.of("option 'dry-run=yes' rejected: expected true or false (default false)"),
                OptionsParser.parse(null, "dry-run=yes").rejected());
        LogTarget log = OptionsParser.parse(null, "log=System-Logger").log();
        assertSame(LogTarget.SYSTEM_LOGGER, log);
        assertTrue(log.systemLogger());
        assertFalse(log.off());
        assertEquals("system-logger", log.toString());
        assertFalse(LogTarget.STDERR.systemLogger());
    }
}
