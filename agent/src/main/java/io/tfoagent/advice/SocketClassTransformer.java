package io.tfoagent.advice;

import io.tfoagent.core.AgentLog;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Weaves the agent's advice into the few JDK socket classes it needs, and nothing else:
 * every other class load costs one map lookup. A class this JDK shapes differently
 * (renamed field, new signature) is left exactly as it was, with one line saying so.
 */
public final class SocketClassTransformer implements ClassFileTransformer {
    private static final String SERVER_SOCKET_CHANNEL = "sun.nio.ch.ServerSocketChannelImpl";
    private static final String SOCKET_IMPL = "sun.nio.ch.NioSocketImpl";

    private final Map<String, List<AdviceBinding>> bindingsByInternalName;
    private final AgentLog log;

    private SocketClassTransformer(Map<String, List<AdviceBinding>> bindings, AgentLog log) {
        this.bindingsByInternalName = bindings;
        this.log = log;
    }

    /** The advice for server-side TFO: listeners and the connections they accept. */
    public static SocketClassTransformer forServer(AgentLog log) {
        return new SocketClassTransformer(Map.of(
                internal(SERVER_SOCKET_CHANNEL), List.of(
                        new AdviceBinding(ListenAdvice.class, "bind", 2),
                        new AdviceBinding(ServerSocketChannelAcceptAdvice.class, "finishAccept", 2)),
                internal(SOCKET_IMPL), List.of(
                        new AdviceBinding(ListenAdvice.class, "listen", 1),
                        new AdviceBinding(SocketImplAcceptAdvice.class, "accept", 1))), log);
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
     * Loads ByteBuddy by weaving the target classes once, off the application's threads,
     * and throws the result away. Class loading is most of the cost of weaving; done here,
     * the application's first socket finds ByteBuddy ready instead of paying for it.
     */
    public void warmUpInBackground() {
        Thread warmUp = new Thread("tfo-agent-warm-up") {
            @Override
            public void run() {
                dryRun();
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
            return AdviceWeaver.weave(className.replace('/', '.'), classFile, bindings);
        } catch (Throwable t) {
            log.line("cannot instrument " + className.replace('/', '.') + " on Java " + Runtime.version()
                    + " (" + t + "); sockets opened through it stay without TFO");
            return null;
        }
    }
}
