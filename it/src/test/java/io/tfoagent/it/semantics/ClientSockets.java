package io.tfoagent.it.semantics;

import io.tfoagent.it.peers.AgentWarmUp;
import io.tfoagent.shim.LinuxSocket;
import io.tfoagent.shim.NativeCallException;
import io.tfoagent.shim.TcpInfo;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketImpl;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What the client peers need beside the JDK API they exercise: the socket's fd (reached inside
 * JDK classes; the tests give the {@code --add-opens} for it) and its TCP_INFO, the test's own
 * view of whether the kernel deferred a connect; and the "naive" control mode, in which the
 * peer sets TCP_FASTOPEN_CONNECT itself, without the agent, to show what the agent's handling
 * saves the application from.
 */
public final class ClientSockets {
    /** System property that turns the control mode on: TFO with none of the agent's handling. */
    static final String NAIVE_PROPERTY = "semantics.naive";

    private ClientSockets() {}

    /**
     * Loads JNA and binds libc now, at the client's start: done lazily, the first TCP_INFO read
     * would take long enough (~100 ms) for the agent's idle-open timer to have fired by then.
     */
    public static void loadNative() {
        LinuxSocket.loadNative();
    }

    /**
     * What a client peer does first: waits for the agent's warm-up, arms its exits, loads the
     * native shim; returns the target {@code args[0]:args[1]}.
     */
    public static InetSocketAddress startPeer(String[] args, Duration lifetime) throws IOException {
        AgentWarmUp.await();
        PeerLife.arm(lifetime);
        loadNative();
        return address(args[0], Integer.parseInt(args[1]));
    }

    static boolean naive() {
        return Boolean.getBoolean(NAIVE_PROPERTY);
    }

    public static InetSocketAddress address(String host, int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    /** An unconnected Socket with its fd created (so that options can be set before connect()). */
    static Socket newSocket() throws IOException, ReflectiveOperationException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true); // creates the impl and its fd
        if (naive()) {
            LinuxSocket.setFastOpenConnect(fd(socket), true);
        }
        return socket;
    }

    static SocketChannel newChannel() throws IOException, ReflectiveOperationException {
        SocketChannel channel = SocketChannel.open();
        if (naive()) {
            LinuxSocket.setFastOpenConnect(fd(channel), true);
        }
        return channel;
    }

    public static int fd(SocketChannel channel) throws ReflectiveOperationException {
        return field(channel.getClass(), "fdVal").getInt(channel);
    }

    public static int fd(AsynchronousSocketChannel channel) throws ReflectiveOperationException {
        return field(channel.getClass(), "fdVal").getInt(channel);
    }

    public static int fd(Socket socket) throws ReflectiveOperationException {
        if (socket.getChannel() != null) {
            return fd(socket.getChannel());
        }
        SocketImpl impl = (SocketImpl) field(Socket.class, "impl").get(socket);
        Method getFileDescriptor = SocketImpl.class.getDeclaredMethod("getFileDescriptor");
        getFileDescriptor.setAccessible(true);
        FileDescriptor fd = (FileDescriptor) getFileDescriptor.invoke(impl); // a SOCKS wrapper hands out its delegate's
        return field(FileDescriptor.class, "fd").getInt(fd);
    }

    /** Whether connect() returned with nothing sent: the socket still in SYN_SENT (DESIGN.md §2). */
    public static boolean deferred(int fd) throws NativeCallException {
        return LinuxSocket.tcpInfo(fd).state() == TcpInfo.STATE_SYN_SENT;
    }

    static boolean deferred(Socket socket) throws IOException, ReflectiveOperationException {
        return deferred(fd(socket));
    }

    static boolean deferred(SocketChannel channel) throws IOException, ReflectiveOperationException {
        return deferred(fd(channel));
    }

    public static byte[] request(String method, String path) {
        return (method + " " + path + " HTTP/1.1\r\nHost: semantics\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads to the end of the stream and returns its first line (the HTTP status line), or "" if none. */
    static String statusLine(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        String text = all.toString(StandardCharsets.US_ASCII);
        int end = text.indexOf("\r\n");
        return end < 0 ? text : text.substring(0, end);
    }

    static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000L;
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }
}
