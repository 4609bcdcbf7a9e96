package io.tfoagent.it.races;

import io.tfoagent.it.semantics.ClientSockets;
import io.tfoagent.it.semantics.Watchdog;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritePendingException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One client connection through the API under test: {@code socket} ({@code java.net.Socket},
 * {@code connect(addr)} with no timeout, its streams), {@code channel} (a blocking
 * {@code SocketChannel}, {@code write(ByteBuffer)} and {@code read(ByteBuffer)}) or {@code async}
 * (an {@code AsynchronousSocketChannel}, each call's Future waited for, bounded). No connect
 * timeout on purpose: with one, the agent settles the handshake inside the first write and some
 * of the races never arise. Every read is bounded: SO_TIMEOUT on the socket, a watchdog that
 * closes the channel.
 *
 * <p>The streams and the channel are kept after {@link #close()}, so that a client can do what
 * an application with a stale reference does: write or read on a socket it already closed.
 */
final class ClientConnection implements AutoCloseable {
    static final int READ_BOUND_MILLIS = 5000;

    private final Socket socket;
    private final SocketChannel channel;
    private final AsynchronousSocketChannel async;
    private final OutputStream out;
    private final InputStream in;
    private final Watchdog watchdog;
    /** The fd number while open (it is -1 or meaningless once closed). */
    final int fd;

    private ClientConnection(Socket socket, SocketChannel channel, AsynchronousSocketChannel async)
            throws IOException, ReflectiveOperationException {
        this.socket = socket;
        this.channel = channel;
        this.async = async;
        if (async != null) {
            out = null;
            in = Channels.newInputStream(async);
            watchdog = Watchdog.closeAfter(async, READ_BOUND_MILLIS);
            fd = ClientSockets.fd(async);
        } else if (socket != null) {
            socket.setSoTimeout(READ_BOUND_MILLIS);
            out = socket.getOutputStream();
            in = socket.getInputStream();
            watchdog = null;
            fd = ClientSockets.fd(socket);
        } else {
            out = null;
            in = Channels.newInputStream(channel);
            watchdog = Watchdog.closeAfter(channel, READ_BOUND_MILLIS);
            fd = ClientSockets.fd(channel);
        }
    }

    /** Connects to {@code target} through {@code api} ({@code socket} or {@code channel}). */
    static ClientConnection open(String api, InetSocketAddress target) throws IOException, ReflectiveOperationException {
        switch (api) {
            case "socket": {
                Socket s = new Socket();
                try {
                    s.connect(target);
                    return new ClientConnection(s, null, null);
                } catch (IOException | ReflectiveOperationException | RuntimeException e) {
                    s.close();
                    throw e;
                }
            }
            case "channel": {
                SocketChannel c = SocketChannel.open();
                try {
                    c.connect(target);
                    return new ClientConnection(null, c, null);
                } catch (IOException | ReflectiveOperationException | RuntimeException e) {
                    c.close();
                    throw e;
                }
            }
            case "async": {
                AsynchronousSocketChannel c = AsynchronousSocketChannel.open();
                try {
                    c.connect(target).get(READ_BOUND_MILLIS, TimeUnit.MILLISECONDS);
                    return new ClientConnection(null, null, c);
                } catch (ExecutionException e) {
                    c.close();
                    throw e.getCause() instanceof IOException ? (IOException) e.getCause() : new IOException(e);
                } catch (IOException | ReflectiveOperationException | RuntimeException e) {
                    c.close();
                    throw e;
                } catch (InterruptedException | TimeoutException e) {
                    c.close();
                    throw new IOException(e);
                }
            }
            default:
                throw new IllegalArgumentException("api: socket, channel or async, not " + api);
        }
    }

    /** Whether the kernel deferred this connect (still SYN_SENT, nothing sent): only meaningful before any I/O. */
    boolean deferred() throws IOException {
        return ClientSockets.deferred(fd);
    }

    /**
     * One write call of the API: {@code OutputStream.write(byte[])}, or {@code write(ByteBuffer)} until
     * all is written. An asynchronous channel takes one write at a time: one made while another is
     * pending is refused ({@code WritePendingException}) and made again, as an application that
     * queues its writes does, for as long as the read bound.
     */
    void write(byte[] bytes) throws IOException {
        if (out != null) {
            out.write(bytes);
            return;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READ_BOUND_MILLIS);
        while (buffer.hasRemaining()) {
            if (async == null) {
                channel.write(buffer);
                continue;
            }
            try {
                async.write(buffer).get(READ_BOUND_MILLIS, TimeUnit.MILLISECONDS);
            } catch (WritePendingException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("another write stayed pending", e);
                }
                Thread.onSpinWait();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException ? (IOException) e.getCause() : new IOException(e);
            } catch (InterruptedException | TimeoutException e) {
                throw new IOException(e);
            }
        }
    }

    /** One read call of the API into a small buffer: what an application's first read does. */
    int readSome() throws IOException {
        return channel == null ? in.read(new byte[64]) : channel.read(ByteBuffer.allocate(64));
    }

    /** Reads one response by its Content-Length and returns its status line. */
    String readResponse() throws IOException {
        return HttpResponses.read(new BufferedInputStream(in));
    }

    @Override
    public void close() throws IOException {
        if (watchdog != null) {
            watchdog.close();
        }
        if (socket != null) {
            socket.close();
        } else if (channel != null) {
            channel.close();
        } else {
            async.close();
        }
    }
}
