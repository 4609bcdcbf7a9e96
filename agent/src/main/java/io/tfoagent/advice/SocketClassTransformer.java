package io.tfoagent.advice;

import io.tfoagent.core.AgentLog;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Weaves the agent's advice into the few JDK socket classes it needs, and nothing else:
 * every other class load costs one map lookup. A class this JDK shapes differently
 * (renamed field, new signature) is left exactly as it was, with one line saying so.
 *
 * <p>Some targets are not the JDK's: Netty's native socket and io_uring channel, which any class
 * loader may load, under any shading prefix (gRPC's {@code io.grpc.netty.shaded.io.netty}), and
 * Tomcat's APR endpoint. They are matched by the end of their name, and the module they are loaded
 * into is let see the bridge's package; the client core hears each one woven, since a Netty copy's
 * connects may be deferred only once all of its gated classes are. Paths the agent does not handle
 * (io_uring client connects, APR listeners) get only advice that names and counts them.
 *
 * <p>The client side is woven as one unit: it is safe only when every path a first write
 * can take is gated, so the client core hears {@link ClientSideReadiness#woven} once every
 * client class is known to weave, and {@link ClientSideReadiness#notWoven} as soon as any
 * one cannot (it then stops deferring connects and opens those still deferred).
 */
public final class SocketClassTransformer implements ClassFileTransformer {
    private static final String SERVER_SOCKET_CHANNEL = "sun.nio.ch.ServerSocketChannelImpl";
    /** AsynchronousServerSocketChannel's bind (and listen) live in this base class of the Unix one. */
    private static final String ASYNC_SERVER_SOCKET_CHANNEL = "sun.nio.ch.AsynchronousServerSocketChannelImpl";
    private static final String UNIX_ASYNC_SERVER_SOCKET_CHANNEL = "sun.nio.ch.UnixAsynchronousServerSocketChannelImpl";
    /** Netty's native transports (epoll, io_uring) listen through it; matched under any package prefix. */
    private static final String NETTY_SOCKET = "io.netty.channel.unix.Socket";
    /** Netty's native FileDescriptor, Socket's superclass: the reads, writes and close of every native socket. */
    private static final String NETTY_FILE_DESCRIPTOR = "io.netty.channel.unix.FileDescriptor";
    /** Netty epoll's socket (sendfile) and its JNI entry points (splice); matched under any prefix. */
    private static final String NETTY_EPOLL_SOCKET = "io.netty.channel.epoll.LinuxSocket";
    private static final String NETTY_EPOLL_NATIVE = "io.netty.channel.epoll.Native";
    /** Netty epoll's TCP channel, whose connect says whether the application set Netty's own fast open. */
    private static final String NETTY_EPOLL_SOCKET_CHANNEL = "io.netty.channel.epoll.EpollSocketChannel";
    private static final String INET_ADDRESS = "java.net.InetAddress";
    /** Netty's io_uring transport connects through the ring, from this class (matched under any prefix). */
    private static final String NETTY_IO_URING_CHANNEL = "io.netty.channel.uring.AbstractIoUringChannel";
    /** AsynchronousSocketChannel: its connect, close and the end of a pending connect. */
    private static final String UNIX_ASYNC_SOCKET_CHANNEL = "sun.nio.ch.UnixAsynchronousSocketChannelImpl";
    /**
     * Its reads and writes: the overloads of IOUtil.read and IOUtil.write that take an {@code async}
     * flag, which no other JDK 17 or 25 class calls. Advised there, around the system call, so that a
     * failure is seen (and made the connect failure it is) before the JDK hands it to a completion
     * handler or Future, whichever thread makes the call.
     */
    private static final String IO_UTIL = "sun.nio.ch.IOUtil";
    private static final String NATIVE_DISPATCHER = "sun.nio.ch.NativeDispatcher";
    private static final String BOOLEAN = "boolean";
    /** Tomcat 9's APR connector listens in tomcat-native, out of the agent's sight; only named. */
    private static final String TOMCAT_APR_ENDPOINT = "org.apache.tomcat.util.net.AprEndpoint";
    private static final String SOCKET_CHANNEL = "sun.nio.ch.SocketChannelImpl";
    private static final String SOCKET_IMPL = "sun.nio.ch.NioSocketImpl";
    private static final String FILE_CHANNEL = "sun.nio.ch.FileChannelImpl";
    private static final String INT = "int";
    private static final String LONG = "long";
    private static final String BYTES = "byte[]";
    private static final String BUFFER = "java.nio.ByteBuffer";
    private static final String BUFFERS = "java.nio.ByteBuffer[]";
    private static final String SOCKET_ADDRESS = "java.net.SocketAddress";

    private static final String BRIDGE_CLASS_FILE = "sun/nio/ch/TfoBridge.class";
    private static final String BRIDGE_PACKAGE = "sun.nio.ch";

    /** Targets of the bootstrap loader (the JDK's classes), by internal name. */
    private final Map<String, List<AdviceBinding>> bindingsByInternalName;
    /** Targets of any other loader, by the end of their internal name (after a '/' or alone). */
    private final Map<String, List<AdviceBinding>> bindingsByNameSuffix;
    /** The classes with client-side advice (internal names); empty when the client side is off. */
    private final Set<String> clientClasses;
    private final AgentLog log;
    private final WovenClassCache cache;
    private final ClientSideReadiness client;
    /**
     * While the warm-up runs, its thread: a target class loaded by any other thread and not in
     * the cache is left as it is (the application's class load never waits for weaving) and
     * re-woven by the warm-up once it has woven it ({@link #warmUpInBackground}).
     */
    private volatile Thread warmUp;
    private final Set<String> leftForWarmUp = ConcurrentHashMap.newKeySet();
    private volatile Instrumentation instrumentation;

    /** What the client core needs to hear about the weaving of its classes. */
    public interface ClientSideReadiness {
        /** Every client class weaves on this JDK. */
        void woven();

        /** {@code reason}: a client class that cannot be woven, and why. */
        void notWoven(String reason);

        /** {@code className} (internal name), found by the end of its name, was woven for {@code loader}. */
        void wovenOutsideJdk(ClassLoader loader, String className);
    }

    private SocketClassTransformer(Map<String, List<AdviceBinding>> bindings,
            Map<String, List<AdviceBinding>> bindingsByNameSuffix, Set<String> clientClasses, AgentLog log,
            WovenClassCache cache, ClientSideReadiness client) {
        this.bindingsByInternalName = bindings;
        this.bindingsByNameSuffix = bindingsByNameSuffix;
        this.clientClasses = clientClasses;
        this.log = log;
        this.cache = cache;
        this.client = client;
    }

    /** The same advice, telling {@code readiness} how the client side's weaving went. */
    public SocketClassTransformer reportingTo(ClientSideReadiness readiness) {
        return new SocketClassTransformer(bindingsByInternalName, bindingsByNameSuffix, clientClasses, log, cache,
                readiness);
    }

    /**
     * The same advice, with woven classes kept in {@code dir} between JVM runs (see
     * {@link WovenClassCache}); unchanged when {@code dir} cannot be used safely.
     */
    public SocketClassTransformer cachedIn(Path dir, String agentVersion) {
        Set<String> classFiles = new TreeSet<>();
        classFiles.add(BRIDGE_CLASS_FILE);
        List<List<AdviceBinding>> all = new ArrayList<>(bindingsByInternalName.values());
        all.addAll(bindingsByNameSuffix.values());
        for (List<AdviceBinding> bindings : all) {
            for (AdviceBinding b : bindings) {
                classFiles.add(b.advice.getName().replace('.', '/') + ".class");
                if (b.exit != null) {
                    classFiles.add(b.exit.getName().replace('.', '/') + ".class");
                }
            }
        }
        try {
            long key = WovenClassCache.adviceKey(agentVersion + bindingsByInternalName + bindingsByNameSuffix,
                    classFiles, SocketClassTransformer.class.getClassLoader());
            return new SocketClassTransformer(bindingsByInternalName, bindingsByNameSuffix, clientClasses, log,
                    WovenClassCache.in(dir, key), client);
        } catch (IOException e) {
            return this;
        }
    }

    /**
     * The advice for the sides that are on: server (listeners and the connections they
     * accept) and client (connect, the first write or read, close).
     */
    public static SocketClassTransformer of(boolean server, boolean client, AgentLog log) {
        Map<String, List<AdviceBinding>> bindings = new HashMap<>();
        Map<String, List<AdviceBinding>> bySuffix = new HashMap<>();
        Set<String> clientClasses = new TreeSet<>();
        if (server) {
            add(bindings, SERVER_SOCKET_CHANNEL,
                    new AdviceBinding(ListenAdvice.class, "bind", SOCKET_ADDRESS, INT),
                    new AdviceBinding(ServerSocketChannelAcceptAdvice.class, "finishAccept",
                            "java.io.FileDescriptor", SOCKET_ADDRESS));
            add(bindings, ASYNC_SERVER_SOCKET_CHANNEL,
                    new AdviceBinding(ListenAdvice.class, "bind", SOCKET_ADDRESS, INT));
            // finishAccept(FileDescriptor, InetSocketAddress), with an AccessControlContext after them before JDK 24.
            add(bindings, UNIX_ASYNC_SERVER_SOCKET_CHANNEL, AdviceBinding.startingWith(
                    ServerSocketChannelAcceptAdvice.class, "finishAccept", "java.io.FileDescriptor"));
            add(bySuffix, NETTY_SOCKET, new AdviceBinding(NettySocketListenAdvice.class, "listen", INT));
            add(bySuffix, TOMCAT_APR_ENDPOINT, new AdviceBinding(NotCoveredListenAdvice.class, "bind"));
            add(bindings, SOCKET_IMPL,
                    new AdviceBinding(ListenAdvice.class, "listen", INT),
                    new AdviceBinding(SocketImplAcceptAdvice.class, "accept", "java.net.SocketImpl"));
        }
        if (client) {
            add(bindings, SOCKET_CHANNEL,
                    new AdviceBinding(ChannelConnectAdvice.class, "connect", SOCKET_ADDRESS),
                    new AdviceBinding(ChannelTimedConnectAdvice.class, "blockingConnect", SOCKET_ADDRESS, LONG),
                    new AdviceBinding(ChannelFinishConnectAdvice.class, "finishConnect"),
                    AdviceBinding.around(ChannelWriteAdvice.class, CallAgainAdvice.class, "write", BUFFER),
                    AdviceBinding.around(ChannelWriteRangeAdvice.class, CallAgainAdvice.class, "write", BUFFERS, INT,
                            INT),
                    AdviceBinding.around(ChannelWriteRangeAdvice.class, CallAgainAdvice.class, "blockingWriteFully",
                            BYTES, INT, INT),
                    AdviceBinding.around(ChannelReadAdvice.class, CallAgainAdvice.class, "read", BUFFER),
                    AdviceBinding.around(ChannelReadAdvice.class, CallAgainAdvice.class, "read", BUFFERS, INT, INT),
                    AdviceBinding.around(ChannelReadAdvice.class, CallAgainAdvice.class, "blockingRead", BYTES, INT,
                            INT, LONG),
                    AdviceBinding.around(ChannelReadAdvice.class, CallAgainAdvice.class, "shutdownOutput"),
                    new AdviceBinding(ChannelCloseAdvice.class, "implCloseSelectableChannel"));
            add(bindings, SOCKET_IMPL,
                    new AdviceBinding(SocketImplConnectAdvice.class, "connect", SOCKET_ADDRESS, INT),
                    AdviceBinding.around(SocketImplWriteAdvice.class, CallAgainAdvice.class, "write", BYTES, INT, INT),
                    AdviceBinding.around(SocketImplReadAdvice.class, CallAgainAdvice.class, "read", BYTES, INT, INT),
                    AdviceBinding.around(SocketImplReadAdvice.class, CallAgainAdvice.class, "shutdownOutput"),
                    new AdviceBinding(SocketImplCloseAdvice.class, "tryClose"));
            add(bindings, FILE_CHANNEL,
                    AdviceBinding.around(TransferToAdvice.class, DoneAdvice.class, "transferTo", LONG, LONG,
                            "java.nio.channels.WritableByteChannel"));
            addNettyEpollClient(bySuffix);
            // A client path the agent does not handle yet: its connects are only named and counted.
            add(bySuffix, NETTY_IO_URING_CHANNEL,
                    new AdviceBinding(NotCoveredConnectAdvice.class, "submitConnect", "java.net.InetSocketAddress"));
            add(bindings, UNIX_ASYNC_SOCKET_CHANNEL,
                    new AdviceBinding(AsyncConnectAdvice.class, "implConnect", SOCKET_ADDRESS, "java.lang.Object",
                            "java.nio.channels.CompletionHandler"),
                    new AdviceBinding(AsyncConnectedAdvice.class, "setConnected"),
                    new AdviceBinding(AsyncFinishConnectAdvice.class, "finishConnect", BOOLEAN),
                    new AdviceBinding(ChannelCloseAdvice.class, "implClose"));
            // Made again after a reconnect (CallAgainAdvice): one that finds nothing yet leaves the
            // operation pending, and finishRead/finishWrite poll for it again in their finally.
            add(bindings, IO_UTIL,
                    AdviceBinding.around(AsyncWriteAdvice.class, CallAgainAdvice.class, "write",
                            "java.io.FileDescriptor", BUFFER, LONG, BOOLEAN, NATIVE_DISPATCHER),
                    AdviceBinding.around(AsyncGatheringWriteAdvice.class, CallAgainAdvice.class, "write",
                            "java.io.FileDescriptor", BUFFERS, BOOLEAN, NATIVE_DISPATCHER),
                    AdviceBinding.around(AsyncReadAdvice.class, CallAgainAdvice.class, "read",
                            "java.io.FileDescriptor", BUFFER, LONG, BOOLEAN, NATIVE_DISPATCHER),
                    AdviceBinding.around(AsyncReadAdvice.class, CallAgainAdvice.class, "read",
                            "java.io.FileDescriptor", BUFFERS, BOOLEAN, NATIVE_DISPATCHER));
            for (String name : new String[] {SOCKET_CHANNEL, SOCKET_IMPL, FILE_CHANNEL, UNIX_ASYNC_SOCKET_CHANNEL,
                    IO_UTIL}) {
                clientClasses.add(internal(name));
            }
        }
        return new SocketClassTransformer(bindings, bySuffix, clientClasses, log, WovenClassCache.off(),
                new NoClientSide());
    }

    /**
     * Netty's epoll client (NettyEpollConnects): the TCP channel's connect, the socket's connect, and
     * every native write and read its transport makes, each made again after a reconnect
     * (CallAgainAdvice, NettyWriteAgainAdvice) but sendfile and splice, whose bytes never ride in a
     * SYN. Each sendTo overload taking no fastOpen flag calls the one that does, so only that one is
     * gated (a nested gate would see the same write twice).
     */
    private static void addNettyEpollClient(Map<String, List<AdviceBinding>> bySuffix) {
        add(bySuffix, NETTY_EPOLL_SOCKET_CHANNEL,
                new AdviceBinding(NettyChannelConnectAdvice.class, "doConnect0", SOCKET_ADDRESS));
        add(bySuffix, NETTY_SOCKET,
                new AdviceBinding(NettyConnectAdvice.class, "connect", SOCKET_ADDRESS),
                new AdviceBinding(NettyFinishConnectAdvice.class, "finishConnect"),
                nettyWrite(NettyWriteAdvice.class, "send", BUFFER, INT, INT),
                nettyWrite(NettyWriteAdvice.class, "sendTo", BUFFER, INT, INT, INET_ADDRESS, INT, BOOLEAN),
                nettyWrite(NettyWriteAddressAdvice.class, "sendAddress", LONG, INT, INT),
                nettyWrite(NettyWriteAddressAdvice.class, "sendToAddress", LONG, INT, INT, INET_ADDRESS, INT, BOOLEAN),
                nettyWrite(NettyWritevAddressesAdvice.class, "sendToAddresses", LONG, INT, INET_ADDRESS, INT, BOOLEAN),
                nettyRead("recv", BUFFER, INT, INT),
                nettyRead("recvAddress", LONG, INT, INT),
                nettyRead("shutdown", BOOLEAN, BOOLEAN));
        add(bySuffix, NETTY_FILE_DESCRIPTOR,
                nettyWrite(NettyWriteAdvice.class, "write", BUFFER, INT, INT),
                nettyWrite(NettyWriteAddressAdvice.class, "writeAddress", LONG, INT, INT),
                nettyWrite(NettyWritevAdvice.class, "writev", BUFFERS, INT, INT, LONG),
                nettyWrite(NettyWritevAddressesAdvice.class, "writevAddresses", LONG, INT),
                nettyRead("read", BUFFER, INT, INT),
                nettyRead("readAddress", LONG, INT, INT),
                new AdviceBinding(NettyCloseAdvice.class, "close"));
        // sendFile(DefaultFileRegion, long, long, long), whose region type carries the shading prefix.
        add(bySuffix, NETTY_EPOLL_SOCKET,
                AdviceBinding.aroundByArity(NettySendFileAdvice.class, DoneAdvice.class, "sendFile", 4));
        add(bySuffix, NETTY_EPOLL_NATIVE,
                AdviceBinding.around(NettySpliceAdvice.class, DoneAdvice.class, "splice", INT, LONG, INT, LONG, LONG));
    }

    private static AdviceBinding nettyWrite(Class<?> enter, String method, String... parameters) {
        return AdviceBinding.around(enter, NettyWriteAgainAdvice.class, method, parameters);
    }

    private static AdviceBinding nettyRead(String method, String... parameters) {
        return AdviceBinding.around(NettyReadAdvice.class, CallAgainAdvice.class, method, parameters);
    }

    private static void add(Map<String, List<AdviceBinding>> bindings, String className, AdviceBinding... more) {
        bindings.computeIfAbsent(internal(className), k -> new ArrayList<>()).addAll(Arrays.asList(more));
    }

    /** The woven class from the cache, or woven now (and stored). */
    private byte[] woven(String internalName, byte[] classFile, List<AdviceBinding> bindings, ClassLoader loader) {
        byte[] cached = cache.lookup(internalName.replace('/', '.'), classFile);
        return cached != null ? cached : weaveAndStore(internalName, classFile, bindings, loader);
    }

    private byte[] weaveAndStore(String internalName, byte[] classFile, List<AdviceBinding> bindings,
            ClassLoader loader) {
        byte[] woven = AdviceWeaver.weave(internalName.replace('/', '.'), classFile, bindings, loader);
        cache.store(internalName.replace('/', '.'), classFile, woven);
        return woven;
    }

    /** The advice for {@code internalName} as {@code loader} (null: the bootstrap loader) defines it, or null. */
    private List<AdviceBinding> bindingsFor(ClassLoader loader, String internalName) {
        if (loader == null) {
            return bindingsByInternalName.get(internalName);
        }
        for (Map.Entry<String, List<AdviceBinding>> target : bindingsByNameSuffix.entrySet()) {
            String suffix = target.getKey();
            int prefix = internalName.length() - suffix.length();
            if (internalName.endsWith(suffix) && (prefix == 0 || internalName.charAt(prefix - 1) == '/')) {
                return target.getValue();
            }
        }
        return null;
    }

    /**
     * Lets {@code module} (an application's, where a Netty copy lives) see the bridge's package,
     * which its advice calls; java.base exports it to no application module otherwise. Nothing is opened.
     */
    private void exportBridgeTo(Module module) {
        Instrumentation inst = instrumentation;
        if (inst != null && module != null && !Object.class.getModule().isExported(BRIDGE_PACKAGE, module)) {
            inst.redefineModule(Object.class.getModule(), Set.of(), Map.of(BRIDGE_PACKAGE, Set.of(module)),
                    Map.of(), Set.of(), Map.of());
        }
    }

    private static String internal(String className) {
        return className.replace('.', '/');
    }

    /** Registers for classes loaded from now on and re-weaves those already loaded. */
    public void install(Instrumentation inst) {
        instrumentation = inst;
        inst.addTransformer(this, true);
        reweaveLoaded(null);
    }

    /** Re-weaves the targets already loaded: those named in {@code only} (internal names), or all when null. */
    private void reweaveLoaded(Set<String> only) {
        Instrumentation inst = instrumentation;
        if (inst == null) {
            return; // not installed (tests): nothing loaded carries or lacks the advice
        }
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            String name = internal(c.getName());
            if ((only == null || only.contains(name)) && bindingsFor(c.getClassLoader(), name) != null) {
                loaded.add(c);
            }
        }
        if (!loaded.isEmpty()) {
            try {
                inst.retransformClasses(loaded.toArray(new Class<?>[0]));
            } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
                log.line("cannot re-weave already loaded " + loaded + " (" + e + "); sockets opened through them"
                        + " stay without TFO");
                for (Class<?> c : loaded) {
                    if (clientClasses.contains(internal(c.getName()))) {
                        client.notWoven("cannot re-weave the already loaded " + c.getName() + " (" + e + ")");
                    }
                }
            }
        }
    }

    /**
     * Weaves every target class of this JDK from its class file (or finds it in the cache),
     * then tells the client core whether its side is whole. Done off the application's
     * threads at start-up ({@link #warmUpInBackground}); on the attaching thread for attach.
     */
    public void weaveAllAndReport() {
        report(dryRun());
    }

    private void report(Map<String, String> outcomes) {
        String clientProblem = null;
        for (Map.Entry<String, String> outcome : outcomes.entrySet()) {
            if (outcome.getValue() != null && clientClasses.contains(internal(outcome.getKey()))) {
                clientProblem = "cannot instrument " + outcome.getKey() + " on Java " + Runtime.version() + " ("
                        + outcome.getValue() + ")";
                break;
            }
        }
        if (clientProblem == null) {
            client.woven();
        } else {
            client.notWoven(clientProblem);
        }
    }

    /**
     * Weaves this JDK's target classes once, off the application's threads, into the cache,
     * and then reports the client side ready ({@link #weaveAllAndReport}). Class loading is
     * most of the cost of weaving; done here, the application's first socket finds the woven
     * class (or at least ByteBuddy) ready instead of paying for it, and so does the next JVM.
     * When every class is in the cache already, ByteBuddy is never loaded. Connects made
     * before this is done go without TFO, rather than wait for it.
     *
     * <p>Meanwhile the application's threads do not wait for it: a target class they load that
     * is not in the cache is left unwoven and re-woven here afterwards, so listeners opened
     * meanwhile get TFO only then ({@code afterWarm}), and connects meanwhile go without it.
     *
     * @param alsoWarm runs first on the same thread (the native shim: loading JNA is the
     *                 other large first-use cost)
     * @param afterWarm runs last, once every class is woven, if any class was left for the warm-up
     *                  (listeners opened meanwhile)
     */
    public void warmUpInBackground(Runnable alsoWarm, Runnable afterWarm) {
        Thread thread = new Thread("tfo-agent-warm-up") {
            @Override
            public void run() {
                alsoWarm.run();
                Map<String, String> outcomes = dryRun();
                warmUp = null; // from now on every thread weaves (from the cache) what it loads
                reweaveLoaded(leftForWarmUp);
                report(outcomes);
                if (!leftForWarmUp.isEmpty()) {
                    afterWarm.run(); // only a class left unwoven can have opened a listener without advice
                }
            }
        };
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.setContextClassLoader(null);
        warmUp = thread;
        thread.start();
    }

    /**
     * Weaves every target class of this JDK without installing anything (into the cache, if
     * there is one): class name to the reason it cannot be instrumented, or to null when it can.
     */
    public Map<String, String> dryRun() {
        Map<String, String> problems = new TreeMap<>();
        for (Map.Entry<String, List<AdviceBinding>> target : bindingsByInternalName.entrySet()) {
            String name = target.getKey().replace('/', '.');
            try (InputStream in = ClassLoader.getSystemResourceAsStream(target.getKey() + ".class")) {
                if (in == null) {
                    problems.put(name, "not in this JDK");
                } else {
                    woven(target.getKey(), in.readAllBytes(), target.getValue(), null);
                    problems.put(name, null);
                }
            } catch (Exception | LinkageError e) {
                problems.put(name, e.toString());
            }
        }
        return problems;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
            ProtectionDomain domain, byte[] classFile) {
        if (className == null) {
            return null;
        }
        List<AdviceBinding> bindings = bindingsFor(loader, className);
        if (bindings == null) {
            return null;
        }
        try {
            byte[] woven = cache.lookup(className.replace('/', '.'), classFile);
            if (woven == null) {
                Thread weaving = warmUp;
                if (weaving != null && weaving != Thread.currentThread()) {
                    leftForWarmUp.add(className);
                    return null;
                }
                woven = weaveAndStore(className, classFile, bindings, loader);
            }
            if (loader != null) {
                exportBridgeTo(module);
                client.wovenOutsideJdk(loader, className);
            }
            return woven;
        } catch (Throwable t) {
            String problem = "cannot instrument " + className.replace('/', '.') + " on Java " + Runtime.version()
                    + " (" + t + ")";
            log.line(problem + "; sockets opened through it stay without TFO");
            if (clientClasses.contains(className)) {
                client.notWoven(problem);
            }
            return null;
        }
    }

    /** The client side is off: nobody to tell. */
    private static final class NoClientSide implements ClientSideReadiness {
        @Override
        public void woven() {
            // nothing waits for it
        }

        @Override
        public void notWoven(String reason) {
            // nothing to switch off
        }

        @Override
        public void wovenOutsideJdk(ClassLoader loader, String className) {
            // nothing defers a connect through it
        }
    }
}
