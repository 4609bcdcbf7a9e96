package io.tfoagent.core.server;

import io.tfoagent.core.Addresses;
import io.tfoagent.core.AgentLog;
import io.tfoagent.core.options.AgentOptions;
import io.tfoagent.shim.LinuxConstants;
import io.tfoagent.shim.LinuxSocket;
import io.tfoagent.shim.NativeCallException;
import io.tfoagent.shim.TcpInfo;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Server-side TFO: every TCP listener the policy allows gets {@code TCP_FASTOPEN(qlen)},
 * and every connection accepted on such a listener is looked at once (TCP_INFO) to count
 * whether it came in by TFO.
 */
public final class ServerFastOpen {
    /** What the JDK uses for a backlog below 1. */
    static final int DEFAULT_BACKLOG = 50;

    private final AgentOptions options;
    private final AgentLog log;
    private final ServerCounters counters;
    /**
     * Listener fds with TFO on, with their bound address. Every listen() updates its fd's entry, so a number the OS
     * reuses for a new listener never inherits the old one's state; a reused number that
     * does not listen is never accepted on.
     */
    private final Map<Integer, InetSocketAddress> fastOpenListeners = new ConcurrentHashMap<>();
    /** server-key=file:, else null. */
    private final ServerKeys keys;
    /** Set when JNA cannot load here: every later listener skips at once, silently. */
    private volatile boolean nativeUnavailable;

    public ServerFastOpen(AgentOptions options, AgentLog log) {
        this.options = options;
        this.log = log;
        this.counters = new ServerCounters(options.dryRun());
        // dry-run: no key goes on a listener either, so the file is not read.
        this.keys = options.serverKeyFile() == null || options.dryRun() ? null
                : new ServerKeys(options.serverKeyFile(), log, fastOpenListeners.keySet());
        if (keys != null) {
            keys.watch();
        }
    }

    public ServerCounters counters() {
        return counters;
    }

    /**
     * A socket was put in the listening state with {@code backlog} as the application asked
     * (below 1: the JDK's default).
     *
     * @param localAddress gives the bound address; asked only for IP sockets
     */
    public void onListen(int fd, int backlog, Supplier<InetSocketAddress> localAddress) {
        fastOpenListeners.remove(fd);
        if (nativeUnavailable) {
            return;
        }
        try {
            int domain = LinuxSocket.domain(fd);
            if (domain != LinuxConstants.AF_INET && domain != LinuxConstants.AF_INET6) {
                return; // Unix domain listeners go through the same JDK code
            }
            InetSocketAddress local = localAddress.get();
            int own = LinuxSocket.fastOpenQueueLength(fd);
            if (own > 0) {
                // The application asked for TFO itself (Netty's EpollChannelOption.TCP_FASTOPEN): its qlen stands.
                log.line("listener " + Addresses.format(local) + " has TFO from the application (qlen " + own
                        + "): left as it is");
                return;
            }
            if (!options.listenerPolicy().allows(local)) {
                counters.listenersSkipped.increment();
                return;
            }
            int qlen = options.qlenFor(backlog < 1 ? DEFAULT_BACKLOG : backlog);
            // dry-run: followed as a TFO listener all the same, so its accepted connections count as eligible.
            if (!options.dryRun()) {
                LinuxSocket.setFastOpen(fd, qlen);
            }
            fastOpenListeners.put(fd, local);
            counters.listenersEnabled.increment();
            log.line((options.dryRun() ? "dry-run: listener " + Addresses.format(local) + " would have TFO"
                    : "TFO on listener " + Addresses.format(local)) + " (qlen " + qlen + ")");
            if (keys != null) {
                keys.listenerOpened(fd);
            }
        } catch (NativeCallException e) {
            counters.listenerErrors.increment();
            log.once("listen:" + e.errno(), "cannot enable TFO on a listener: " + e.getMessage());
        } catch (LinkageError e) {
            nativeUnavailable = true;
            log.once("native", "cannot call libc through JNA (" + e + "); server TFO stays off in this JVM");
        }
    }

    /**
     * Listeners opened before the advice was there: after a dynamic attach, or while the
     * warm-up was weaving. Their backlog is not visible from outside the JDK, so they get the
     * JDK's default unless qlen= is set; one that has TFO already (the advice saw it, or the
     * application set it itself) is left as it is.
     */
    public void onListenersOpenedBefore(Map<Integer, InetSocketAddress> openListeners) {
        for (Map.Entry<Integer, InetSocketAddress> listener : openListeners.entrySet()) {
            int fd = listener.getKey();
            try {
                if (fastOpenListeners.containsKey(fd) || LinuxSocket.fastOpenQueueLength(fd) > 0) {
                    continue;
                }
            } catch (NativeCallException e) {
                continue; // closed since the scan
            }
            onListen(fd, DEFAULT_BACKLOG, listener::getValue);
        }
    }

    /** A connection was accepted into {@code childFd} from {@code listenerFd}. */
    public void onAccept(int listenerFd, int childFd) {
        InetSocketAddress listener = fastOpenListeners.get(listenerFd);
        if (listener == null) {
            return;
        }
        TcpInfo info = null;
        try {
            info = LinuxSocket.tcpInfo(childFd);
        } catch (NativeCallException e) {
            log.once("accept:" + e.errno(), "cannot read TCP_INFO of an accepted connection: " + e.getMessage());
        }
        counters.accepted(listener, info);
    }
}
