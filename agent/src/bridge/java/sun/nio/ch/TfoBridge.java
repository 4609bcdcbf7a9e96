package sun.nio.ch;

import java.io.FileDescriptor;
import java.net.SocketImpl;

/**
 * The one tfo-agent class that lives in java.base. Advice inlined into the JDK's socket
 * classes calls these static methods; they hand over to the agent, which extends this
 * class from its own class loader. Kept tiny on purpose: no logic, no state but the
 * agent reference, and it never throws (the agent catches and counts its own failures).
 */
public abstract class TfoBridge {
    private static volatile TfoBridge agent;

    protected TfoBridge() {}

    public static void install(TfoBridge instance) {
        agent = instance;
    }

    /** A TCP or Unix listener was just put in the listening state. */
    public static void listened(FileDescriptor fd, int backlog) {
        TfoBridge a = agent;
        if (a != null) {
            a.onListen(fd, IOUtil.fdVal(fd), backlog);
        }
    }

    /** A ServerSocketChannel accepted {@code child}. */
    public static void accepted(int listenerFd, FileDescriptor child) {
        TfoBridge a = agent;
        if (a != null) {
            a.onAccept(listenerFd, IOUtil.fdVal(child));
        }
    }

    /** A ServerSocket accepted into {@code child}, a NioSocketImpl. */
    public static void accepted(FileDescriptor listener, SocketImpl child) {
        TfoBridge a = agent;
        if (a != null) {
            a.onAccept(IOUtil.fdVal(listener), child);
        }
    }

    protected abstract void onListen(FileDescriptor fd, int fdVal, int backlog);

    protected abstract void onAccept(int listenerFd, int childFd);

    protected abstract void onAccept(int listenerFd, SocketImpl child);
}
