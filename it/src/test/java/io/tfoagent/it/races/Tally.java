package io.tfoagent.it.races;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the application saw at one step of many rounds, counted by outcome: {@code ok} for a call
 * that returned, else the class of what it threw. Printed as one RESULT field,
 * {@code ok:498,java.net.SocketException:2}, so that the test can compare the runs with and
 * without the agent outcome by outcome. Safe for many threads.
 */
final class Tally {
    static final String OK = "ok";

    private final Map<String, Integer> counts = new TreeMap<>();

    void ok() {
        add(OK);
    }

    void thrown(Throwable t) {
        add(t.getClass().getName());
    }

    /** As {@link #thrown}, with the message: {@code java.net.SocketException(Socket closed)}. */
    void thrownWithMessage(Throwable t) {
        add(t.getClass().getName() + "(" + t.getMessage() + ")");
    }

    synchronized void add(String outcome) {
        counts.merge(outcome, 1, Integer::sum);
    }

    synchronized int count(String outcome) {
        return counts.getOrDefault(outcome, 0);
    }

    @Override
    public synchronized String toString() {
        StringBuilder s = new StringBuilder();
        counts.forEach((outcome, n) -> s.append(s.length() == 0 ? "" : ",").append(outcome).append(':').append(n));
        return s.length() == 0 ? "none" : s.toString();
    }
}
