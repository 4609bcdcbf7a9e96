package io.tfoagent.it.bench;

import static java.lang.invoke.MethodType.methodType;

import java.io.FileDescriptor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The benchmarks' way into {@code sun.nio.ch.TfoBridge}, which lives in java.base: put there by
 * {@code --patch-module java.base=agent/target/bridge-classes} (no agent), or defined there by the
 * agent itself. Found by name at run time, so that this module compiles without it. Each handle
 * sits in a holder of its own and is resolved on first use only, so that a fork needs only the
 * access its benchmarks use.
 */
final class BridgeHandles {
    private static final String BRIDGE = "sun.nio.ch.TfoBridge";
    private static final String ACCESS = " (run with --patch-module java.base=agent/target/bridge-classes or the"
            + " agent, and --add-exports java.base/sun.nio.ch=ALL-UNNAMED; --add-opens for the tracked count)";

    private BridgeHandles() {}

    /**
     * {@code TfoBridge.writing(FileDescriptor, Object, int, int)}: what the write advice calls on
     * every write of every socket. A static final handle, which the JIT inlines like a direct call.
     */
    static final class Writing {
        static final MethodHandle WRITING = find();

        private Writing() {}

        private static MethodHandle find() {
            try {
                // A full lookup: the package is exported to ALL-UNNAMED only, which a public lookup does not see.
                return MethodHandles.lookup().findStatic(bridge(), "writing",
                        methodType(Object.class, FileDescriptor.class, Object.class, int.class, int.class));
            } catch (ReflectiveOperationException | IllegalAccessError e) {
                throw new IllegalStateException("TfoBridge.writing not reachable" + ACCESS, e);
            }
        }
    }

    /**
     * The bridge's count of followed client sockets, the one number its per-write check reads
     * first: proof of how many sockets the agent follows, read from the agent itself. Needs
     * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} (the accessor is protected).
     */
    static int trackedSockets() {
        return Tracked.COUNT.get();
    }

    private static final class Tracked {
        static final AtomicInteger COUNT = find();

        private static AtomicInteger find() {
            try {
                Method m = bridge().getDeclaredMethod("trackedSockets");
                m.setAccessible(true);
                return (AtomicInteger) m.invoke(null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("TfoBridge.trackedSockets not reachable" + ACCESS, e);
            }
        }
    }

    /**
     * The {@link FileDescriptor} object the advice hands to the bridge for this channel
     * ({@code SocketChannelImpl.fd}); needs {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}.
     */
    static FileDescriptor fileDescriptorOf(SocketChannel channel) throws ReflectiveOperationException {
        Field fd = channel.getClass().getDeclaredField("fd");
        fd.setAccessible(true);
        return (FileDescriptor) fd.get(channel);
    }

    private static Class<?> bridge() throws ClassNotFoundException {
        return Class.forName(BRIDGE, true, null);
    }
}
