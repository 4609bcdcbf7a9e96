package io.tfoagent.runtime;

import io.tfoagent.core.client.ClientOutcome;
import java.util.Map;

/**
 * The one counters line: for each side on, the share of its connections that saved a round
 * trip and why each of the others did not, then the kernel's TFO counters beside them. Made
 * from counter snapshots (ServerCounters, ClientCounters, KernelTfoCounters), so the periodic
 * line, the exit line and {@code status PID} (which gets them over JMX) say the same.
 */
public final class CountersLine {
    public static final String PREFIX = "counters: ";

    private CountersLine() {}

    /**
     * Any argument may be null: a side that is off, or a kernel whose counters cannot be read
     * (empty: not read yet);
     * {@code notCovered}: sockets by the path the agent does not handle (NotCovered), named
     * only when there are any.
     */
    public static String of(Map<String, Long> server, Map<String, Long> client, Map<String, Long> notCovered,
            Map<String, Long> kernel) {
        StringBuilder line = new StringBuilder(PREFIX);
        if (server != null) {
            appendServer(line, server);
        }
        if (client != null) {
            appendClient(line.append(server != null ? "; " : ""), client);
        }
        if (notCovered != null && !notCovered.isEmpty()) {
            String separator = server != null || client != null ? "; not covered: " : "not covered: ";
            for (Map.Entry<String, Long> path : notCovered.entrySet()) {
                line.append(separator).append(path.getValue()).append(' ').append(path.getKey());
                separator = ", ";
            }
        }
        line.append(line.length() > PREFIX.length() ? "; " : "").append("kernel TcpExt since start:");
        if (kernel == null) {
            return line.append(" unreadable").toString();
        }
        if (kernel.isEmpty()) {
            return line.append(" not read yet").toString(); // the JVM ended before the agent's first reading
        }
        String separator = " ";
        for (Map.Entry<String, Long> counter : kernel.entrySet()) {
            line.append(separator).append(counter.getKey()).append(" +").append(counter.getValue());
            separator = ", ";
        }
        return line.toString();
    }

    /** Saved: data in the SYN accepted; the rest came without TFO, or by TFO with nothing to carry. */
    private static void appendServer(StringBuilder line, Map<String, Long> s) {
        long accepted = s.get("Accepted");
        long fastOpen = s.get("AcceptedFastOpen");
        long saved = s.get("AcceptedSynData");
        share(line.append("server "), saved, accepted, "accepted connections");
        String separator = ", missed: ";
        separator = reason(line, separator, accepted - fastOpen, "not by TFO");
        reason(line, separator, fastOpen - saved, "by TFO with an empty SYN");
    }

    /**
     * Saved: SYN data the kernel says was acked. Every connection has one reason from the moment
     * the agent connected it; those that deferred and are not settled yet (opening, failed, or
     * closed before the SYN-ACK said whether the data was acked) are "opening or failed". The
     * snapshot's order keeps that count from going below 0, but for a first write retried after
     * failing before it reached the kernel (counted twice); hence the clamp.
     */
    private static void appendClient(StringBuilder line, Map<String, Long> c) {
        long connections = 0;
        long missed = 0;
        for (ClientOutcome o : ClientOutcome.withAttributes()) {
            long n = c.get(o.attribute());
            connections += o.opens() ? n : 0;
            missed += o.reason() != null ? n : 0;
        }
        long saved = c.get(ClientOutcome.SAVED.attribute());
        share(line.append("client "), saved, connections, "connections");
        String separator = ", missed: ";
        for (ClientOutcome o : ClientOutcome.withAttributes()) {
            if (o.reason() != null) {
                separator = reason(line, separator, c.get(o.attribute()), o.reason());
            }
        }
        separator = reason(line, separator, Math.max(0, connections - saved - missed), "opening or failed");
        reason(line, separator, c.get("Errors"), "agent errors");
    }

    private static void share(StringBuilder line, long saved, long total, String what) {
        line.append(saved).append(" of ").append(total).append(' ').append(what).append(" saved a round trip");
        if (total > 0) {
            line.append(" (").append(saved * 100 / total).append("%)");
        }
    }

    /** Appends "N reason" when N is not 0; returns the separator for the next one. */
    private static String reason(StringBuilder line, String separator, long n, String reason) {
        if (n == 0) {
            return separator;
        }
        line.append(separator).append(n).append(' ').append(reason);
        return ", ";
    }
}
