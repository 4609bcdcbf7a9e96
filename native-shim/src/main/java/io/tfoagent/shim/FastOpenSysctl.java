package io.tfoagent.shim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * {@code net.ipv4.tcp_fastopen} of the network namespace this process runs in. It is a
 * bitmask (0x1 client, 0x2 server, others test-only) and no socket option can override it,
 * so the agent reads it to say what will and will not work.
 */
public final class FastOpenSysctl {
    public static final String NAME = "net.ipv4.tcp_fastopen";
    private static final Path PATH = Paths.get("/proc/sys/net/ipv4/tcp_fastopen");

    private final int bits;

    private FastOpenSysctl(int bits) {
        this.bits = bits;
    }

    public static FastOpenSysctl read() throws IOException {
        return parse(new String(Files.readAllBytes(PATH), StandardCharsets.US_ASCII));
    }

    static FastOpenSysctl parse(String text) throws IOException {
        try {
            return new FastOpenSysctl(Integer.decode(text.trim()));
        } catch (NumberFormatException e) {
            throw new IOException("unreadable " + NAME + ": '" + text.trim() + "'");
        }
    }

    public int bits() {
        return bits;
    }

    public boolean clientEnabled() {
        return (bits & LinuxConstants.TFO_CLIENT_ENABLE) != 0;
    }

    public boolean serverEnabled() {
        return (bits & LinuxConstants.TFO_SERVER_ENABLE) != 0;
    }

    /** The value that adds {@code missing} bits to the current ones, for a copy-paste fix. */
    public int with(int missing) {
        return bits | missing;
    }

    @Override
    public String toString() {
        return NAME + "=0x" + Integer.toHexString(bits);
    }
}
