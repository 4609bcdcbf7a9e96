package io.tfoagent.it.semantics;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.tfoagent.it.peers.AgentWarmUp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client of a server that speaks first (DESIGN.md §4 hazard 2): it connects and waits for the
 * banner without writing anything. With a cookie cached the kernel defers the connect until the
 * first write, which never comes: only the agent's read-first (blocking) or idle-open
 * (non-blocking) handling sends the SYN.
 *
 * <p>Arguments: {@code <host>[,<host>...] <port> <count> <boundMillis> <api>...}, api one of {@code socket}
 * ({@code java.net.Socket}, read with SO_TIMEOUT), {@code channel} (blocking SocketChannel,
 * {@code read(ByteBuffer)} under a watchdog), {@code nonblocking} (SocketChannel registered for
 * OP_READ only, {@code select(bound)}), {@code async} (AsynchronousSocketChannel, its read's Future
 * waited for up to the bound), {@code epoll} (Netty's native epoll transport, its handler reading only).
 * One {@code RESULT} line per connection; exit 0 when every
 * connection got {@code 220 hello} within the bound.
 */
public final class ServerFirstClient {
    private static final String BANNER = "220 hello";
    private static final int CONNECT_TIMEOUT_MILLIS = 2000;

    private ServerFirstClient() {}

    public static void main(String[] args) throws Exception {
        AgentWarmUp.await();
        PeerLife.arm(Duration.ofMinutes(1));
        ClientSockets.loadNative();
        int port = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        long bound = Long.parseLong(args[3]);
        boolean allPassed = true;
        for (String host : args[0].split(",")) {
            InetSocketAddress server = ClientSockets.address(host, port);
            for (int a = 4; a < args.length; a++) {
                for (int i = 1; i <= count; i++) {
                    allPassed &= attempt(args[a], server, bound, args[a] + "-" + host + "-" + i);
                }
            }
        }
        System.exit(allPassed ? 0 : 1);
    }

    private static boolean attempt(String api, InetSocketAddress server, long bound, String label) throws Exception {
        Outcome o;
        switch (api) {
            case "socket":
                o = socket(server, bound);
                break;
            case "channel":
                o = channel(server, bound);
                break;
            case "nonblocking":
                o = nonBlocking(server, bound);
                break;
            case "async":
                o = async(server, bound);
                break;
            case "epoll":
                o = epoll(server, bound);
                break;
            default:
                throw new IllegalArgumentException(api);
        }
        boolean pass = BANNER.equals(o.banner) && o.millis < bound;
        new ResultLine(label).with("pass", pass).with("deferred", o.deferred).with("banner", o.banner)
                .with("ms", o.millis).thrown(o.thrown).print();
        return pass;
    }

    private static Outcome socket(InetSocketAddress server, long bound) throws Exception {
        Outcome o = new Outcome();
        try (Socket socket = ClientSockets.newSocket()) {
            socket.connect(server, CONNECT_TIMEOUT_MILLIS);
            o.deferred = ClientSockets.deferred(socket);
            socket.setSoTimeout((int) bound);
            long start = System.nanoTime();
            try {
                o.banner = line(socket.getInputStream());
            } catch (IOException e) {
                o.thrown = e;
            }
            o.millis = ClientSockets.millisSince(start);
        }
        return o;
    }

    private static Outcome channel(InetSocketAddress server, long bound) throws Exception {
        Outcome o = new Outcome();
        try (SocketChannel channel = ClientSockets.newChannel()) {
            channel.connect(server);
            o.deferred = ClientSockets.deferred(channel);
            long start = System.nanoTime();
            try (Watchdog watchdog = Watchdog.closeAfter(channel, bound)) {
                try {
                    o.banner = line(channel);
                } catch (IOException e) {
                    o.thrown = watchdog.fired() ? new IOException("no banner within " + bound + " ms", e) : e;
                }
            }
            o.millis = ClientSockets.millisSince(start);
        }
        return o;
    }

    private static Outcome nonBlocking(InetSocketAddress server, long bound) throws Exception {
        Outcome o = new Outcome();
        try (SocketChannel channel = ClientSockets.newChannel(); Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            long start = System.nanoTime();
            if (channel.connect(server)) {
                // A non-blocking connect that must handshake reports "pending"; done at once means the
                // kernel deferred it. (TCP_INFO could already show the agent's idle open, 5 ms later.)
                o.deferred = true;
            } else {
                // No cookie (or no TFO): an ordinary non-blocking connect.
                channel.register(selector, SelectionKey.OP_CONNECT);
                if (selector.select(bound) == 0 || !channel.finishConnect()) {
                    o.thrown = new IOException("not connected within " + bound + " ms");
                    o.millis = ClientSockets.millisSince(start);
                    return o;
                }
            }
            // Interested in reading only: the application never writes to this server.
            channel.register(selector, SelectionKey.OP_READ);
            long left = bound - ClientSockets.millisSince(start);
            if (left <= 0 || selector.select(left) == 0) {
                o.thrown = new IOException("not readable within " + bound + " ms");
            } else {
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                ByteBuffer buffer = ByteBuffer.allocate(64);
                while (!got.toString(StandardCharsets.US_ASCII).contains("\n")) {
                    int n = channel.read(buffer.clear());
                    if (n < 0) {
                        break;
                    }
                    if (n == 0 && (ClientSockets.millisSince(start) >= bound || selector.select(bound) == 0)) {
                        break;
                    }
                    got.write(buffer.array(), 0, n);
                }
                o.banner = firstLine(got);
            }
            o.millis = ClientSockets.millisSince(start);
        }
        return o;
    }

    private static Outcome async(InetSocketAddress server, long bound) throws Exception {
        Outcome o = new Outcome();
        try (AsynchronousSocketChannel channel = AsynchronousSocketChannel.open()) {
            long start = System.nanoTime();
            channel.connect(server).get(bound, TimeUnit.MILLISECONDS);
            o.deferred = ClientSockets.deferred(ClientSockets.fd(channel)); // the idle open may be 5 ms ahead
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(64);
            try {
                while (!got.toString(StandardCharsets.US_ASCII).contains("\n")) {
                    long left = bound - ClientSockets.millisSince(start);
                    int n = left <= 0 ? -1 : channel.read(buffer.clear()).get(left, TimeUnit.MILLISECONDS);
                    if (n < 0) {
                        break;
                    }
                    got.write(buffer.array(), 0, n);
                }
            } catch (ExecutionException | TimeoutException e) {
                o.thrown = e;
            }
            o.banner = firstLine(got);
            o.millis = ClientSockets.millisSince(start);
        }
        return o;
    }

    private static Outcome epoll(InetSocketAddress server, long bound) throws Exception {
        Outcome o = new Outcome();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            CompletableFuture<String> banner = new CompletableFuture<>();
            long start = System.nanoTime();
            Channel channel = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                    .handler(new BannerReader(banner)).connect(server).sync().channel();
            o.deferred = ClientSockets.deferred(((EpollSocketChannel) channel).fd().intValue());
            try {
                o.banner = banner.get(bound, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                o.thrown = e;
            }
            o.millis = ClientSockets.millisSince(start);
            channel.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        return o;
    }

    /** Reads until the first line, on Netty's event loop; never writes. */
    private static final class BannerReader extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<String> banner;
        private final ByteArrayOutputStream got = new ByteArrayOutputStream();

        BannerReader(CompletableFuture<String> banner) {
            this.banner = banner;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf bytes = (ByteBuf) msg;
            try {
                while (bytes.isReadable()) {
                    got.write(bytes.readByte());
                }
            } finally {
                bytes.release();
            }
            if (got.toString(StandardCharsets.US_ASCII).contains("\n")) {
                banner.complete(firstLine(got));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            banner.completeExceptionally(cause);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            got.write(b);
        }
        return got.toString(StandardCharsets.US_ASCII).strip();
    }

    private static String line(SocketChannel channel) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(64);
        while (!got.toString(StandardCharsets.US_ASCII).contains("\n")) {
            int n = channel.read(buffer.clear());
            if (n < 0) {
                break;
            }
            got.write(buffer.array(), 0, n);
        }
        return firstLine(got);
    }

    private static String firstLine(ByteArrayOutputStream got) {
        String text = got.toString(StandardCharsets.US_ASCII);
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).strip();
    }

    private static final class Outcome {
        boolean deferred;
        String banner = "none";
        long millis;
        Throwable thrown;
    }
}
