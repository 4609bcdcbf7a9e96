package io.tfoagent.core.client;

import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Which copies of Netty's epoll transport carry every piece of the agent's advice. A connect
 * through a copy may be deferred only when every way its first write can take is gated: the
 * writes and reads of {@code unix.FileDescriptor} and {@code unix.Socket}, the sendfile of
 * {@code epoll.LinuxSocket}, the splice of {@code epoll.Native}. A Netty version that shapes one of
 * them differently leaves that class unwoven, and its copy's connects are then only named.
 *
 * <p>Copies are told apart by their class loader and their shading prefix (gRPC ships its own
 * under {@code io.grpc.netty.shaded.}); the classes are recorded as the transformer weaves them.
 */
public final class NettyEpollCoverage {
    /** The classes of one copy that must all be woven, after its prefix. */
    private static final String SOCKET = "io.netty.channel.epoll.LinuxSocket";
    private static final String UNIX_SOCKET = "io.netty.channel.unix.Socket";
    private static final String FILE_DESCRIPTOR = "io.netty.channel.unix.FileDescriptor";
    private static final String NATIVE = "io.netty.channel.epoll.Native";

    /** Class names woven, by the loader that defined them (weakly: a web app's loader may go). */
    private final Map<ClassLoader, Set<String>> woven = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * Set once the warm-up has woven every class left to it (before the client side is ready): until
     * then a class may be unwoven only for now, and its connects, which go without TFO anyway
     * meanwhile, are not called uncovered.
     */
    private volatile boolean settled;

    /** The weaving's warm-up is over: what is not woven now stays so. */
    public void weavingDone() {
        settled = true;
    }

    boolean settled() {
        return settled;
    }

    /** The transformer wove {@code className} (dotted or internal) for {@code loader}. */
    public void woven(ClassLoader loader, String className) {
        if (loader != null) {
            woven.computeIfAbsent(loader, k -> Collections.synchronizedSet(new HashSet<>()))
                    .add(className.replace('/', '.'));
        }
    }

    /**
     * Whether a connect through a socket of {@code socketClass} may be deferred: it is epoll's
     * LinuxSocket, and its copy's gated classes are all woven. Its superclasses are looked for in
     * their own loaders, Native in LinuxSocket's (one jar).
     */
    public boolean covers(Class<?> socketClass) {
        return covered.get(socketClass);
    }

    /**
     * {@link #covers}, once per class: asked only once the weaving is settled, when a copy's
     * classes are all loaded (a socket's superclasses, and Native, which Netty's epoll loads
     * before any socket), so the answer cannot change.
     */
    private final ClassValue<Boolean> covered = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> socketClass) {
            return coversNow(socketClass);
        }
    };

    private boolean coversNow(Class<?> socketClass) {
        String name = socketClass.getName();
        String prefix = name.substring(0, Math.max(0, name.length() - SOCKET.length()));
        if (!name.endsWith(SOCKET) || !(prefix.isEmpty() || prefix.endsWith("."))) {
            return false;
        }
        Class<?> socket = socketClass.getSuperclass();
        Class<?> fileDescriptor = socket == null ? null : socket.getSuperclass();
        return isWoven(socketClass, prefix + SOCKET) && isWoven(socket, prefix + UNIX_SOCKET)
                && isWoven(fileDescriptor, prefix + FILE_DESCRIPTOR)
                && isWoven(socketClass.getClassLoader(), prefix + NATIVE);
    }

    /** {@code type} is the class named {@code name}, and was woven. */
    private boolean isWoven(Class<?> type, String name) {
        return type != null && type.getName().equals(name) && isWoven(type.getClassLoader(), name);
    }

    private boolean isWoven(ClassLoader loader, String className) {
        Set<String> names = loader == null ? null : woven.get(loader);
        return names != null && names.contains(className);
    }
}
