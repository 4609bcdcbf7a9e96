package io.tfoagent.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FastOpenSysctlTest {

    @Test
    void parsesDecimalWithNewline() throws IOException {
        FastOpenSysctl s = FastOpenSysctl.parse("3\n");
        assertEquals(3, s.bits());
        assertTrue(s.clientEnabled());
        assertTrue(s.serverEnabled());
        assertEquals("net.ipv4.tcp_fastopen=0x3", s.toString());
    }

    @Test
    void parsesHex() throws IOException {
        FastOpenSysctl s = FastOpenSysctl.parse("0x3");
        assertEquals(3, s.bits());
        assertEquals(0x403, FastOpenSysctl.parse("0x403").bits());
    }

    @Test
    void clientOnlyIsTheDefault() throws IOException {
        FastOpenSysctl s = FastOpenSysctl.parse("1");
        assertEquals(1, s.bits());
        assertTrue(s.clientEnabled());
        assertFalse(s.serverEnabled());
        assertEquals(3, s.with(LinuxConstants.TFO_SERVER_ENABLE));
        assertEquals(1, s.with(LinuxConstants.TFO_CLIENT_ENABLE));
        assertEquals(1, s.bits()); // with() does not change it
    }

    @Test
    void serverOnlyAndNothing() throws IOException {
        FastOpenSysctl server = FastOpenSysctl.parse("2\n");
        assertFalse(server.clientEnabled());
        assertTrue(server.serverEnabled());
        assertEquals(3, server.with(LinuxConstants.TFO_CLIENT_ENABLE));

        FastOpenSysctl none = FastOpenSysctl.parse(" 0 \n");
        assertEquals(0, none.bits());
        assertFalse(none.clientEnabled());
        assertFalse(none.serverEnabled());
        assertEquals(3, none.with(LinuxConstants.TFO_CLIENT_ENABLE | LinuxConstants.TFO_SERVER_ENABLE));
        // Test-only bits do not count as client or server.
        FastOpenSysctl odd = FastOpenSysctl.parse("0x600");
        assertFalse(odd.clientEnabled());
        assertFalse(odd.serverEnabled());
        assertEquals(0x603, odd.with(3));
    }

    @Test
    void garbageIsAnIOExceptionNamingTheSysctl() {
        IOException e = assertThrows(IOException.class, () -> FastOpenSysctl.parse("garbage\n"));
        assertTrue(e.getMessage().contains("net.ipv4.tcp_fastopen"), e.getMessage());
        assertTrue(e.getMessage().contains("'garbage'"), e.getMessage());
        assertThrows(IOException.class, () -> FastOpenSysctl.parse(""));
        assertThrows(IOException.class, () -> FastOpenSysctl.parse("1 2"));
        assertThrows(IOException.class, () -> FastOpenSysctl.parse("0xZZ"));
        assertThrows(IOException.class, () -> FastOpenSysctl.parse("#403"));
        assertThrows(IOException.class, () -> FastOpenSysctl.parse("99999999999"));
        assertThrows(IOException.class, () -> FastOpenSysctl.parse("\uff13"));
    }

    /** Each bit of ip-sysctl.rst by itself and in the combinations operators set, as the file prints them (decimal) and as sysctl.conf writes them (hex). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0     | 0x0   | false | false | (TFO off)",
        "1     | 0x1   | true  | false | (client)",
        "2     | 0x2   | false | true  | (server)",
        "3     | 0x3   | true  | true  | (client, server)",
        "4     | 0x4   | false | false | (client data without cookie)",
        "7     | 0x7   | true  | true  | (client, server, client data without cookie)",
        "512   | 0x200 | false | false | (server data without cookie)",
        "1024  | 0x400 | false | false | (server on every listener)",
        "519   | 0x207 | true  | true  | (client, server, client data without cookie, server data without cookie)",
        "1027  | 0x403 | true  | true  | (client, server, server on every listener)",
        "1025  | 0x401 | true  | false | (client, server on every listener)",
        "1543  | 0x607 | true  | true  | (client, server, client data without cookie, server data without cookie, server on every listener)",
        "11    | 0xb   | true  | true  | (client, server, unknown bits 0x8)",
        "-1    | 0xffffffff | true | true | (client, server, client data without cookie, server data without cookie, server on every listener, unknown bits 0xfffff9f8)",
    })
    void everyBitIsNamed(String decimal, String hex, boolean client, boolean server, String words) throws IOException {
        for (String text : new String[] {decimal + "\n", hex, hex.toUpperCase().replace("0X", "0x")}) {
            FastOpenSysctl s = FastOpenSysctl.parse(text);
            assertEquals(Integer.parseUnsignedInt(hex.substring(2), 16), s.bits(), text);
            assertEquals(client, s.clientEnabled(), text);
            assertEquals(server, s.serverEnabled(), text);
            assertEquals(words, s.describe(), text);
            assertEquals("net.ipv4.tcp_fastopen=" + hex, s.toString(), text);
        }
    }

    @Test
    void leadingZeroIsDecimalNotOctal() throws IOException {
        assertEquals(403, FastOpenSysctl.parse("0403").bits());
    }

    /** cat as the oracle: it reads the file in one go, as the kernel's proc_dointvec requires. */
    @Test
    void readsThisMachine() throws Exception {
        FastOpenSysctl s = FastOpenSysctl.read();
        Process cat = new ProcessBuilder("cat", "/proc/sys/net/ipv4/tcp_fastopen").start();
        String raw = new String(cat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertEquals(0, cat.waitFor());
        assertEquals(Integer.parseInt(raw), s.bits());
        assertEquals((s.bits() & 1) != 0, s.clientEnabled());
        assertEquals((s.bits() & 2) != 0, s.serverEnabled());
    }
}
