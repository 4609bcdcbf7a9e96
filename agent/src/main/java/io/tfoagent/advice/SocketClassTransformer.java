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

/**
 * Weaves the agent's advice into the few JDK socket classes it needs, and nothing else:
 * every other class load costs one map lookup. A class this JDK shapes differently
 * (renamed field, new signature) is left exactly as it was, with one line saying so.
 */
public final class SocketClassTransformer implements ClassFileTransformer {
    private static final String SERVER_SOCKET_CHANNEL = "sun.nio.ch.ServerSocketChannelImpl";
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

    private final Map<String, List<AdviceBinding>> bindingsByInternalName;
    private final AgentLog log;
    private final WovenClassCache cache;

    private SocketClassTransformer(Map<String, List<AdviceBinding>> bindings, AgentLog log, WovenClassCache cache) {
        this.bindingsByInternalName = bindings;
        this.log = log;
        this.cache = cache;
    }

    /**
     * The same advice, with woven classes kept in {@code dir} between JVM runs (see
     * {@link WovenClassCache}); unchanged when {@code dir} cannot be used safely.
     */
    public SocketClassTransformer cachedIn(Path dir, String agentVersion) {
        Set<String> classFiles = new TreeSet<>();
        classFiles.add(BRIDGE_CLASS_FILE);
        for (List<AdviceBinding> bindings : bindingsByInternalName.values()) {
            for (AdviceBinding b : bindings) {
                classFiles.add(b.advice.getName().replace('.', '/') + ".class");
            }
        }
        try {
            long key = WovenClassCache.adviceKey(agentVersion + bindingsByInternalName, classFiles,
                    SocketClassTransformer.class.getClassLoader());
            return new SocketClassTransformer(bindingsByInternalName, log, WovenClassCache.in(dir, key));
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
        if (server) {
            add(bindings, SERVER_SOCKET_CHANNEL,
                    new AdviceBinding(ListenAdvice.class, "bind", SOCKET_ADDRESS, INT),
                    new AdviceBinding(ServerSocketChannelAcceptAdvice.class, "finishAccept",
                            "java.io.FileDescriptor", SOCKET_ADDRESS));
            add(bindings, SOCKET_IMPL,
                    new AdviceBinding(ListenAdvice.class, "listen", INT),
                    new AdviceBinding(SocketImplAcceptAdvice.class, "accept", "java.net.SocketImpl"));
        }
        if (client) {
            add(bindings, SOCKET_CHANNEL,
                    new AdviceBinding(ChannelConnectAdvice.class, "connect", SOCKET_ADDRESS),
                    new AdviceBinding(ChannelTimedConnectAdvice.class, "blockingConnect", SOCKET_ADDRESS, LONG),
                    new AdviceBinding(ChannelWriteAdvice.class, "write", BUFFER),
                    new AdviceBinding(ChannelWriteRangeAdvice.class, "write", BUFFERS, INT, INT),
                    new AdviceBinding(ChannelWriteRangeAdvice.class, "blockingWriteFully", BYTES, INT, INT),
                    new AdviceBinding(ChannelReadAdvice.class, "read", BUFFER),
                    new AdviceBinding(ChannelReadAdvice.class, "read", BUFFERS, INT, INT),
                    new AdviceBinding(ChannelReadAdvice.class, "blockingRead", BYTES, INT, INT, LONG),
                    new AdviceBinding(ChannelReadAdvice.class, "shutdownOutput"),
                    new AdviceBinding(ChannelCloseAdvice.class, "implCloseSelectableChannel"));
            add(bindings, SOCKET_IMPL,
                    new AdviceBinding(SocketImplConnectAdvice.class, "connect", SOCKET_ADDRESS, INT),
                    new AdviceBinding(SocketImplWriteAdvice.class, "write", BYTES, INT, INT),
                    new AdviceBinding(SocketImplReadAdvice.class, "read", BYTES, INT, INT),
                    new AdviceBinding(SocketImplReadAdvice.class, "shutdownOutput"),
                    new AdviceBinding(SocketImplCloseAdvice.class, "tryClose"));
            add(bindings, FILE_CHANNEL,
                    new AdviceBinding(TransferToAdvice.class, "transferTo", LONG, LONG,
                            "java.nio.channels.WritableByteChannel"));
        }
        return new SocketClassTransformer(bindings, log, WovenClassCache.off());
    }

    private static void add(Map<String, List<AdviceBinding>> bindings, String className, AdviceBinding... more) {
        bindings.computeIfAbsent(internal(className), k -> new ArrayList<>()).addAll(Arrays.asList(more));
    }

    private byte[] woven(String internalName, byte[] classFile, List<AdviceBinding> bindings) {
        byte[] woven = cache.lookup(internalName.replace('/', '.'), classFile);
        if (woven == null) {
            woven = AdviceWeaver.weave(internalName.replace('/', '.'), classFile, bindings);
            cache.store(internalName.replace('/', '.'), classFile, woven);
        }
        return woven;
    }

    private static String internal(String className) {
        return className.replace('.', '/');
    }

    /** Registers for classes loaded from now on and re-weaves those already loaded. */
    public void install(Instrumentation inst) {
        inst.addTransformer(this, true);
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getClassLoader() == null && bindingsByInternalName.containsKey(internal(c.getName()))) {
                loaded.add(c);
            }
        }
        if (!loaded.isEmpty()) {
            try {
                inst.retransformClasses(loaded.toArray(new Class<?>[0]));
            } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
                log.line("cannot re-weave already loaded " + loaded + " (" + e + "); sockets opened through them"
                        + " stay without TFO");
            }
        }
    }

    /**
     * Weaves this JDK's target classes once, off the application's threads, into the cache.
     * Class loading is most of the cost of weaving; done here, the application's first
     * socket finds the woven class (or at least ByteBuddy) ready instead of paying for it,
     * and so does the next JVM. When every class is in the cache already, ByteBuddy is
     * never loaded.
     *
     * @param alsoWarm runs first on the same thread (the native shim: loading JNA is the
     *                 other large first-use cost)
     */
    public void warmUpInBackground(Runnable alsoWarm) {
        Thread warmUp = new Thread("tfo-agent-warm-up") {
            @Override
            public void run() {
                alsoWarm.run();
                for (Map.Entry<String, List<AdviceBinding>> target : bindingsByInternalName.entrySet()) {
                    try (InputStream in = ClassLoader.getSystemResourceAsStream(target.getKey() + ".class")) {
                        if (in != null) {
                            woven(target.getKey(), in.readAllBytes(), target.getValue());
                        }
                    } catch (Exception | LinkageError e) {
                        // transform() meets the same class and says what is wrong
                    }
                }
            }
        };
        warmUp.setDaemon(true);
        warmUp.setPriority(Thread.MIN_PRIORITY);
        warmUp.start();
    }

    /**
     * Weaves every target class of this JDK without installing anything, for the doctor:
     * class name to the reason it cannot be instrumented, or to null when it can.
     */
    public Map<String, String> dryRun() {
        Map<String, String> problems = new TreeMap<>();
        for (Map.Entry<String, List<AdviceBinding>> target : bindingsByInternalName.entrySet()) {
            String name = target.getKey().replace('/', '.');
            try (InputStream in = ClassLoader.getSystemResourceAsStream(target.getKey() + ".class")) {
                if (in == null) {
                    problems.put(name, "not in this JDK");
                } else {
                    AdviceWeaver.weave(name, in.readAllBytes(), target.getValue());
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
        if (loader != null || className == null) {
            return null;
        }
        List<AdviceBinding> bindings = bindingsByInternalName.get(className);
        if (bindings == null) {
            return null;
        }
        try {
            return woven(className, classFile, bindings);
        } catch (Throwable t) {
            log.line("cannot instrument " + className.replace('/', '.') + " on Java " + Runtime.version()
                    + " (" + t + "); sockets opened through it stay without TFO");
            return null;
        }
    }
}
