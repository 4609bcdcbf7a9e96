package io.tfoagent.core.server;

import java.util.regex.Pattern;

/**
 * The text of a {@code server-key=file:} file: a primary key and an optional backup, each as
 * {@code net.ipv4.tcp_fastopen_key} prints it ({@code 00112233-44556677-8899aabb-ccddeeff}),
 * separated by a comma. The kernel reads each of the four hex words as a number and stores it
 * little-endian (proc_tcp_fastopen_key: cpu_to_le32), so the same text gives the same key here
 * and in the sysctl; FleetKeysIT checks that against a namespace whose sysctl holds the text.
 */
final class FleetKeys {
    static final String FORMAT = "xxxxxxxx-xxxxxxxx-xxxxxxxx-xxxxxxxx[,backup] in hex, as "
            + "net.ipv4.tcp_fastopen_key prints it";
    static final int KEY_LENGTH = 16;
    private static final String KEY = "[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{8}){3}";
    private static final Pattern FILE = Pattern.compile(KEY + "(?:," + KEY + ")?");

    private FleetKeys() {}

    /**
     * The bytes for setsockopt(TCP_FASTOPEN_KEY): 16, or 32 with the backup; null when the text
     * is not in that format. Leading and trailing white space (a final newline) is allowed.
     * Never puts the text in an exception or anywhere else: it is a secret.
     */
    static byte[] parse(String text) {
        String keys = text.strip();
        if (!FILE.matcher(keys).matches()) {
            return null;
        }
        String[] words = keys.split("[-,]");
        byte[] raw = new byte[words.length * Integer.BYTES];
        for (int i = 0; i < words.length; i++) {
            int word = Integer.parseUnsignedInt(words[i], 16);
            for (int b = 0; b < Integer.BYTES; b++) {
                raw[i * Integer.BYTES + b] = (byte) (word >>> (8 * b));
            }
        }
        return raw;
    }
}
