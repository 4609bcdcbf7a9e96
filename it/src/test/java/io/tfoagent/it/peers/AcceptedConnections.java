package io.tfoagent.it.peers;

import io.tfoagent.shim.LinuxSocket;
import io.tfoagent.shim.TcpInfo;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.Socket;
import java.net.SocketImpl;
import java.nio.channels.SocketChannel;

/**
 * Prints, for each accepted connection, what the kernel says about how it was opened: the
 * test's view of TFO from the server side, independent of the agent. Reaching the fd needs the
 * {@code --add-opens} the tests give these peers.
 */
final class AcceptedConnections {
    private AcceptedConnections() {}

    static void report(SocketChannel channel) throws IOException, ReflectiveOperationException {
        report(field(channel.getClass(), "fdVal").getInt(channel));
    }

    static void report(Socket socket) throws IOException, ReflectiveOperationException {
        SocketImpl impl = (SocketImpl) field(Socket.class, "impl").get(socket);
        FileDescriptor fd = (FileDescriptor) field(SocketImpl.class, "fd").get(impl);
        report(field(FileDescriptor.class, "fd").getInt(fd));
    }

    /** The kernel's TCP_INFO of an accepted channel, for peers that print more than {@link #report}. */
    static TcpInfo tcpInfo(SocketChannel channel) throws IOException, ReflectiveOperationException {
        return LinuxSocket.tcpInfo(field(channel.getClass(), "fdVal").getInt(channel));
    }

    private static void report(int fd) throws IOException {
        TcpInfo info = LinuxSocket.tcpInfo(fd);
        System.out.println("ACCEPTED syn_data=" + info.synData() + " tfo_child=" + info.fastOpenChild());
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}
