package io.tfoagent.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

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
    }

    @Test
    void readsThisMachine() throws IOException {
        FastOpenSysctl s = FastOpenSysctl.read();
        String raw = new String(Files.readAllBytes(Paths.get("/proc/sys/net/ipv4/tcp_fastopen")),
                StandardCharsets.US_ASCII).trim();
        assertEquals(Integer.parseInt(raw), s.bits());
        assertEquals((s.bits() & 1) != 0, s.clientEnabled());
        assertEquals((s.bits() & 2) != 0, s.serverEnabled());
    }
}
