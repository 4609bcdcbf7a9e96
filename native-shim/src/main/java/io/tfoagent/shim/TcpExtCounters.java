package io.tfoagent.shim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The TcpExt counters of {@code /proc/net/netstat}, as seen from this process's network
 * namespace. The file holds pairs of lines: a header of names and a line of values.
 */
public final class TcpExtCounters {
    public static final String ACTIVE = "TCPFastOpenActive";
    public static final String ACTIVE_FAIL = "TCPFastOpenActiveFail";
    public static final String PASSIVE = "TCPFastOpenPassive";
    public static final String PASSIVE_FAIL = "TCPFastOpenPassiveFail";
    public static final String LISTEN_OVERFLOW = "TCPFastOpenListenOverflow";
    public static final String COOKIE_REQUIRED = "TCPFastOpenCookieReqd";
    public static final String BLACKHOLE = "TCPFastOpenBlackhole";

    private final Map<String, Long> values;

    private TcpExtCounters(Map<String, Long> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static TcpExtCounters read() throws IOException {
        return parse(new String(Files.readAllBytes(Paths.get("/proc/net/netstat")), StandardCharsets.US_ASCII));
    }

    public static TcpExtCounters parse(String netstat) throws IOException {
        String[] lines = netstat.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].startsWith("TcpExt:") && lines[i + 1].startsWith("TcpExt:")) {
                String[] names = lines[i].trim().split("\\s+");
                String[] numbers = lines[i + 1].trim().split("\\s+");
                if (names.length != numbers.length) {
                    break;
                }
                Map<String, Long> values = new LinkedHashMap<>();
                for (int k = 1; k < names.length; k++) {
                    values.put(names[k], Long.parseLong(numbers[k]));
                }
                return new TcpExtCounters(values);
            }
        }
        throw new IOException("no TcpExt section in /proc/net/netstat");
    }

    /** The counter's value; 0 for a counter this kernel does not have. */
    public long get(String name) {
        return values.getOrDefault(name, 0L);
    }

    public Map<String, Long> all() {
        return values;
    }
}
