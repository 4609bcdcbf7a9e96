package io.tfoagent.it.rtt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Measurements across a {@link DelayLine}, in-process: sockets are made on threads inside the
 * namespaces. The RTT probe is the TCP handshake: a blocking {@code connect()} returns when the
 * SYN-ACK arrives, one round trip after the SYN left.
 */
public final class RttProbe {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private RttProbe() {}

    /** Order statistics of a sample of durations, in nanoseconds. */
    public record Summary(int count, long min, long median, long p99, long max) {
        public static Summary of(long[] nanos) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            return new Summary(n, sorted[0], sorted[(n - 1) / 2] / 2 + sorted[n / 2] / 2,
                    sorted[Math.min(n - 1, (int) Math.ceil(0.99 * n) - 1)], sorted[n - 1]);
        }

        /** This summary as errors against {@code expected}, in microseconds. */
        public String errorsAgainst(Duration expected) {
            long e = expected.toNanos();
            return String.format("n=%d min=%+.0fus median=%+.0fus p99=%+.0fus max=%+.0fus",
                    count, (min - e) / 1e3, (median - e) / 1e3, (p99 - e) / 1e3, (max - e) / 1e3);
        }

        @Override
        public String toString() {
            return String.format("n=%d min=%.3fms median=%.3fms p99=%.3fms max=%.3fms",
                    count, min / 1e6, median / 1e6, p99 / 1e6, max / 1e6);
        }
    }

    /**
     * {@code count} TCP connect times from {@code client} to a listener this method runs in
     * {@code server} on {@code address:port}, after {@code warmup} unmeasured connects. The
     * connecting thread runs under SCHED_FIFO where allowed, like the line's own threads: on a
     * busy machine a normal thread is sometimes woken milliseconds after its SYN-ACK came, which
     * would be noise of the probe, not of the line ({@link #connectTimes(NetNamespace, NetNamespace,
     * String, int, int, int, boolean)} with false measures what an ordinary thread sees).
     */
    public static long[] connectTimes(NetNamespace client, NetNamespace server, String address, int port,
                                      int warmup, int count) {
        return connectTimes(client, server, address, port, warmup, count, true);
    }

    public static long[] connectTimes(NetNamespace client, NetNamespace server, String address, int port,
                                      int warmup, int count, boolean realtime) {
        try (ServerSocket listener = listen(server, address, port)) {
            Thread acceptor = server.startThread("rtt-probe-acceptor", () -> acceptAndClose(listener));
            try {
                return client.call(() -> {
                    if (realtime) {
                        DelayLine.tuneThisThread();
                    }
                    InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(address), port);
                    long[] times = new long[count];
                    for (int i = -warmup; i < count; i++) {
                        try (Socket socket = new Socket()) {
                            socket.setTcpNoDelay(true);
                            long start = System.nanoTime();
                            socket.connect(target, CONNECT_TIMEOUT_MILLIS);
                            long elapsed = System.nanoTime() - start;
                            if (i >= 0) {
                                times[i] = elapsed;
                            }
                        }
                    }
                    return times;
                });
            } finally {
                acceptor.interrupt();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends {@code data} over one TCP connection from {@code client} to a listener in
     * {@code server} and returns what the listener read, up to the sender's FIN.
     */
    public static byte[] tcpTransfer(NetNamespace client, NetNamespace server, String address, int port,
                                     byte[] data, Duration timeout) {
        try (ServerSocket listener = listen(server, address, port)) {
            CompletableFuture<byte[]> received = new CompletableFuture<>();
            server.startThread("rtt-probe-sink", () -> {
                try (Socket socket = listener.accept(); InputStream in = socket.getInputStream()) {
                    received.complete(in.readAllBytes());
                } catch (Throwable t) {
                    received.completeExceptionally(t);
                }
            });
            client.call(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(InetAddress.getByName(address), port), CONNECT_TIMEOUT_MILLIS);
                    OutputStream out = socket.getOutputStream();
                    out.write(data);
                    out.flush();
                    socket.shutdownOutput();
                    // Wait for the reader's close, so that the data is across before the socket goes.
                    socket.getInputStream().read();
                }
                return null;
            });
            return received.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("transfer did not complete: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Sends {@code count} UDP datagrams of {@code size} bytes back to back from {@code client}
     * to {@code address:port} in {@code server}; returns the datagrams received there, in arrival
     * order, waiting at most {@code quiet} after the last one. Each datagram is a 4-byte sequence
     * number followed by bytes derived from it ({@link #datagram}). The receiving thread runs
     * under SCHED_FIFO where allowed, so that it drains its socket as fast as the line delivers.
     */
    public static List<byte[]> udpBurst(NetNamespace client, NetNamespace server, String address, int port,
                                        int count, int size, Duration quiet) {
        try {
            InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(address), port);
            DatagramSocket receiver = server.call(() -> {
                DatagramSocket socket = new DatagramSocket(null);
                socket.setReceiveBufferSize(4 << 20);
                socket.bind(target);
                return socket;
            });
            try (receiver) {
                CompletableFuture<List<byte[]>> received = new CompletableFuture<>();
                server.startThread("rtt-probe-udp-sink", () -> {
                    DelayLine.tuneThisThread(); // keeps up with a burst even where rmem_max keeps the buffer small
                    List<byte[]> got = new ArrayList<>();
                    byte[] buf = new byte[65_536];
                    try {
                        receiver.setSoTimeout((int) quiet.toMillis());
                        while (got.size() < count) {
                            DatagramPacket packet = new DatagramPacket(buf, buf.length);
                            receiver.receive(packet);
                            got.add(Arrays.copyOf(packet.getData(), packet.getLength()));
                        }
                    } catch (SocketTimeoutException e) {
                        // quiet for too long: what came is all that will come
                    } catch (IOException e) {
                        received.completeExceptionally(e);
                    }
                    received.complete(got);
                });
                client.call(() -> {
                    try (DatagramSocket sender = new DatagramSocket()) {
                        sender.setSendBufferSize(4 << 20);
                        for (int seq = 0; seq < count; seq++) {
                            byte[] payload = datagram(seq, size);
                            sender.send(new DatagramPacket(payload, payload.length, target));
                        }
                    }
                    return null;
                });
                return received.get(quiet.toMillis() + 30_000, TimeUnit.MILLISECONDS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("burst did not complete: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * One-way delays of {@code count} small UDP datagrams from {@code from} to {@code address:port}
     * in {@code to}, one at a time: both ends are threads of this JVM, so one clock stamps the
     * send and the arrival.
     */
    public static long[] oneWayDelays(NetNamespace from, NetNamespace to, String address, int port, int count) {
        try {
            InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(address), port);
            DatagramSocket receiver = to.call(() -> new DatagramSocket(target));
            try (receiver) {
                receiver.setSoTimeout(10_000);
                return from.call(() -> {
                    DelayLine.tuneThisThread();
                    long[] delays = new long[count];
                    byte[] buf = new byte[64];
                    try (DatagramSocket sender = new DatagramSocket()) {
                        for (int i = 0; i < count; i++) {
                            long sent = System.nanoTime();
                            sender.send(new DatagramPacket(buf, 8, target));
                            receiver.receive(new DatagramPacket(buf, buf.length));
                            delays[i] = System.nanoTime() - sent;
                        }
                    }
                    return delays;
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The datagram {@link #udpBurst} sends as number {@code seq}. */
    public static byte[] datagram(int seq, int size) {
        ByteBuffer buf = ByteBuffer.allocate(size);
        buf.putInt(seq);
        while (buf.hasRemaining()) {
            buf.put((byte) (seq * 31 + buf.position()));
        }
        return buf.array();
    }

    /**
     * Sends {@code count} UDP datagrams of {@code size} bytes at {@code perSecond} from client
     * to server (a sink that discards them): background load for CPU measurements.
     */
    public static void udpPaced(NetNamespace client, NetNamespace server, String address, int port,
                                int perSecond, int size, Duration duration) {
        try {
            InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(address), port);
            DatagramSocket receiver = server.call(() -> new DatagramSocket(target));
            try (receiver) {
                Thread sink = server.startThread("rtt-probe-udp-discard", () -> {
                    byte[] buf = new byte[65_536];
                    try {
                        while (true) {
                            receiver.receive(new DatagramPacket(buf, buf.length));
                        }
                    } catch (IOException closed) {
                        // the socket was closed: done
                    }
                });
                client.call(() -> {
                    try (DatagramSocket sender = new DatagramSocket()) {
                        byte[] payload = new byte[size];
                        long interval = 1_000_000_000L / perSecond;
                        long start = System.nanoTime();
                        long end = start + duration.toNanos();
                        for (long next = start; next < end; next += interval) {
                            long wait = next - System.nanoTime();
                            if (wait > 0) {
                                java.util.concurrent.locks.LockSupport.parkNanos(wait);
                            }
                            sender.send(new DatagramPacket(payload, payload.length, target));
                        }
                    }
                    return null;
                });
                Thread.sleep(200); // let the tail cross before the sink goes
                receiver.close();
                sink.join(1_000);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static ServerSocket listen(NetNamespace ns, String address, int port) {
        return ns.call(() -> {
            ServerSocket listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getByName(address), port), 256);
            return listener;
        });
    }

    private static void acceptAndClose(ServerSocket listener) {
        while (!listener.isClosed()) {
            try (Socket ignored = listener.accept()) {
                // accepted: the handshake was done by the kernel; close at once
            } catch (IOException e) {
                return; // the listener was closed
            }
        }
    }
}
