package io.tfoagent.core.client;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Whether an application set Netty's own {@code TCP_FASTOPEN_CONNECT} on an epoll channel: its
 * {@code EpollSocketChannelConfig.isTcpFastOpenConnect()}, found per config class (a shaded copy
 * has its own) and called through a method handle, as the agent cannot name Netty's types.
 */
final class OwnFastOpen {
    /** The config class's public {@code isTcpFastOpenConnect()}, or null where it has none. */
    private static final ClassValue<MethodHandle> GETTER = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            try {
                return MethodHandles.publicLookup().findVirtual(type, "isTcpFastOpenConnect",
                        MethodType.methodType(boolean.class)).asType(MethodType.methodType(boolean.class, Object.class));
            } catch (ReflectiveOperationException e) {
                return null;
            }
        }
    };

    private OwnFastOpen() {}

    /**
     * The option is set on {@code config}. A config without the getter belongs to a Netty that has
     * no such option, so the application cannot have set it; a getter that fails leaves the answer
     * unknown, taken as set: the connect is then left as it would be without the agent.
     */
    static boolean isSet(Object config) {
        MethodHandle getter = config == null ? null : GETTER.get(config.getClass());
        if (getter == null) {
            return false;
        }
        try {
            return (boolean) getter.invokeExact(config);
        } catch (Throwable t) {
            return true;
        }
    }
}
