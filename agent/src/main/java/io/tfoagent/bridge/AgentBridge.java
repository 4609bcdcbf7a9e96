package io.tfoagent.bridge;

import io.tfoagent.core.AgentLog;
import io.tfoagent.core.server.ServerFastOpen;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.SocketImpl;
import java.util.function.Supplier;
import sun.nio.ch.IOUtil;
import sun.nio.ch.Net;
import sun.nio.ch.TfoBridge;

/**
 * The agent's side of {@link TfoBridge}: turns JDK objects into plain values (fd numbers,
 * addresses) for the core, and makes sure nothing the agent does throws into the
 * application: a failure is said once and the socket goes on without TFO.
 */
final class AgentBridge extends TfoBridge {
    private final ServerFastOpen server;
    private final AgentLog log;
    private final VarHandle socketImplFd;

    private AgentBridge(ServerFastOpen server, AgentLog log, VarHandle socketImplFd) {
        this.server = server;
        this.log = log;
        this.socketImplFd = socketImplFd;
    }

    /** Must run after {@link BridgeInstaller} has defined TfoBridge in java.base, our superclass. */
    static void install(ServerFastOpen server, AgentLog log) throws ReflectiveOperationException {
        VarHandle fd = MethodHandles.privateLookupIn(SocketImpl.class, MethodHandles.lookup())
                .findVarHandle(SocketImpl.class, "fd", FileDescriptor.class);
        TfoBridge.install(new AgentBridge(server, log, fd));
    }

    @Override
    protected void onListen(FileDescriptor fd, int fdVal, int backlog) {
        try {
            server.onListen(fdVal, backlog, new BoundAddress(fd));
        } catch (Throwable t) {
            failed("listen", t);
        }
    }

    @Override
    protected void onAccept(int listenerFd, int childFd) {
        try {
            server.onAccept(listenerFd, childFd);
        } catch (Throwable t) {
            failed("accept", t);
        }
    }

    @Override
    protected void onAccept(int listenerFd, SocketImpl child) {
        try {
            server.onAccept(listenerFd, IOUtil.fdVal((FileDescriptor) socketImplFd.get(child)));
        } catch (Throwable t) {
            failed("accept", t);
        }
    }

    private void failed(String where, Throwable t) {
        log.once("bridge:" + where + ":" + t.getClass().getName(),
                "internal error on " + where + " (" + t + "); that socket goes on without TFO");
    }

    /** The bound address of a listener; asked only once the fd is known to be IP. */
    private static final class BoundAddress implements Supplier<InetSocketAddress> {
        private final FileDescriptor fd;

        BoundAddress(FileDescriptor fd) {
            this.fd = fd;
        }

        @Override
        public InetSocketAddress get() {
            try {
                return Net.localAddress(fd);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
