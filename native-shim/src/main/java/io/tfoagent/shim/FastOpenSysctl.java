package io.tfoagent.shim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * {@code net.ipv4.tcp_fastopen} of the network namespace this process runs in. It is a
 * bitmask (the kernel's Documentation/networking/ip-sysctl.rst and include/net/tcp.h) and
 * no socket option can override it, so the agent reads it to say what will and will not
 * work. Only 0x1 (client) and 0x2 (server) decide whether TFO works; the others change how
 * it works, and only with their side's bit set.
 */
public final class FastOpenSysctl {
    public static final String NAME = "net.ipv4.tcp_fastopen";
    private static final Path PATH = Paths.get("/proc/sys/net/ipv4/tcp_fastopen");
    /** "-2147483648\n" and then some. */
    private static final int MAX_TEXT = 64;

    /** The bits the kernel knows, in the order the words name them; each with its words. */
    private static final int[] KNOWN_BITS = {LinuxConstants.TFO_CLIENT_ENABLE, LinuxConstants.TFO_SERVER_ENABLE,
        0x4, 0x200, 0x400};
    private static final String[] KNOWN_WORDS = {"client", "server", "client data without cookie",
        "server data without cookie", "server on every listener"};

    private final int bits;

    private FastOpenSysctl(int bits) {
        this.bits = bits;
    }

    /**
     * One read() from offset 0, into a buffer larger than any int the file can print: the kernel
     * (proc_dointvec) answers a read at any other offset with end of file. Files.readAllBytes reads
     * a file of size 0, as /proc files are, one byte first and then the rest, so it saw only the
     * first digit: "1027" (0x403) came out as "1", client only.
     */
    public static FastOpenSysctl read() throws IOException {
        return parse(readProcSys(PATH));
    }

    /** A /proc/sys file's text, read as {@link #read} explains (one read() from offset 0). */
    public static String readProcSys(Path path) throws IOException {
        byte[] text = new byte[MAX_TEXT];
        int length;
        try (InputStream in = Files.newInputStream(path)) {
            length = in.read(text);
        }
        return length <= 0 ? "" : new String(text, 0, length, StandardCharsets.US_ASCII);
    }

    /**
     * The file holds decimal ({@code 1027\n}, as proc_dointvec prints it); hex ({@code 0x403}) is
     * taken too, as sysctl.conf writes it. Not Integer.decode: it would read a leading 0 as octal.
     */
    static FastOpenSysctl parse(String text) throws IOException {
        String value = text.trim();
        try {
            if (value.matches("0[xX][0-9a-fA-F]{1,8}")) {
                return new FastOpenSysctl(Integer.parseUnsignedInt(value.substring(2), 16));
            }
            if (value.matches("-?[0-9]{1,10}")) {
                return new FastOpenSysctl(Integer.parseInt(value));
            }
        } catch (NumberFormatException e) {
            // out of int range: reported below
        }
        throw new IOException("unreadable " + NAME + ": '" + value + "'");
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

    /**
     * Every set bit in words, as {@code (client, server, server on every listener)}, or
     * {@code (TFO off)}; unknown bits by number, so no bit set goes unmentioned.
     */
    public String describe() {
        if (bits == 0) {
            return "(TFO off)";
        }
        StringBuilder words = new StringBuilder("(");
        int unknown = bits;
        for (int i = 0; i < KNOWN_BITS.length; i++) {
            if ((bits & KNOWN_BITS[i]) != 0) {
                words.append(words.length() > 1 ? ", " : "").append(KNOWN_WORDS[i]);
                unknown &= ~KNOWN_BITS[i];
            }
        }
        if (unknown != 0) {
            words.append(words.length() > 1 ? ", " : "").append("unknown bits 0x").append(Integer.toHexString(unknown));
        }
        return words.append(')').toString();
    }

    @Override
    public String toString() {
        return NAME + "=0x" + Integer.toHexString(bits);
    }
}
