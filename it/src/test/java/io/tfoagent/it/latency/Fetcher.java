package io.tfoagent.it.latency;

import java.net.URI;

/**
 * One HTTP client API as the latency peer drives it: each {@link #fetch} opens a fresh connection,
 * sends one request, reads the whole response (to its last byte, by Content-Length), and returns
 * the moment that last byte was in hand, in {@link System#nanoTime()}.
 */
interface Fetcher extends AutoCloseable {
    /** The body of every request that has one: two bytes that are not replay-safe to send twice. */
    String BODY = "hi";
    /** Every socket wait is bounded by this. */
    int TIMEOUT_MILLIS = 10_000;

    /** A finished request: its status and when its response was complete. */
    record Result(int status, long doneNanos) {}

    Result fetch(URI uri, String method) throws Exception;

    @Override
    default void close() {}

    static boolean hasBody(String method) {
        return method.equals("POST") || method.equals("PUT");
    }

    /** {@code host:port}, an IPv6 host in brackets: the Host header raw clients send. */
    static String authority(URI uri) {
        String host = uri.getHost();
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port(uri);
    }

    static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
    }
}
