package io.tfoagent.core.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The TCP listeners this process already has open, found without touching any JDK object:
 * {@code /proc/self/fd} maps fds to socket inodes, {@code /proc/self/net/tcp[6]} maps
 * listening inodes to their bound address. Used when the agent is attached to a running
 * JVM, whose listeners were opened before any advice existed.
 */
public final class OpenListeners {
    private static final String LISTEN = "0A";

    private OpenListeners() {}

    /** Listening fd to bound address. */
    public static Map<Integer, InetSocketAddress> scan() throws IOException {
        Map<Long, InetSocketAddress> listening = new HashMap<>();
        listening.putAll(parse(read("/proc/self/net/tcp")));
        listening.putAll(parse(read("/proc/self/net/tcp6")));
        Map<Integer, InetSocketAddress> byFd = new LinkedHashMap<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Paths.get("/proc/self/fd"))) {
            for (Path fd : fds) {
                Long inode = socketInode(fd);
                if (inode != null && listening.containsKey(inode)) {
                    byFd.put(Integer.parseInt(fd.getFileName().toString()), listening.get(inode));
                }
            }
        }
        return byFd;
    }

    private static String read(String path) throws IOException {
        return new String(Files.readAllBytes(Paths.get(path)), StandardCharsets.US_ASCII);
    }

    private static Long socketInode(Path fd) {
        try {
            String target = Files.readSymbolicLink(fd).toString();
            return target.startsWith("socket:[") ? Long.parseLong(target.substring(8, target.length() - 1)) : null;
        } catch (IOException | NumberFormatException e) {
            return null; // closed meanwhile, or not ours to read
        }
    }

    /** Listening sockets of one {@code /proc/net/tcp} or {@code tcp6} table, by inode. */
    static Map<Long, InetSocketAddress> parse(String table) {
        Map<Long, InetSocketAddress> listening = new HashMap<>();
        String[] lines = table.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].trim().split("\\s+");
            if (f.length > 9 && f[3].equals(LISTEN)) {
                listening.put(Long.parseLong(f[9]), address(f[1]));
            }
        }
        return listening;
    }

    /** {@code 0100007F:1F90}: the address as 32-bit words in host (little-endian) order, then the port. */
    static InetSocketAddress address(String hexAddressAndPort) {
        int colon = hexAddressAndPort.indexOf(':');
        String hex = hexAddressAndPort.substring(0, colon);
        byte[] raw = new byte[hex.length() / 2];
        for (int word = 0; word < raw.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int at = word * 8 + (3 - b) * 2;
                raw[word * 4 + b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(raw),
                    Integer.parseInt(hexAddressAndPort.substring(colon + 1), 16));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(hexAddressAndPort, e);
        }
    }
}
