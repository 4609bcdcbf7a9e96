package io.tfoagent.bridge;

import io.tfoagent.core.client.ClientKernel;
import io.tfoagent.shim.LinuxSocket;
import io.tfoagent.shim.NativeCallException;
import io.tfoagent.shim.TcpInfo;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetSocketAddress;
import sun.nio.ch.TfoBridge;

/**
 * The client side's socket calls on this JVM: libc through the native shim, and waits the
 * way the JDK waits (a virtual thread parks, see {@link TfoBridge#awaitWritable}).
 */
public final class JdkClientKernel implements ClientKernel {
    @Override
    public void setFastOpenConnect(int fd, boolean on) throws NativeCallException {
        LinuxSocket.setFastOpenConnect(fd, on);
    }

    @Override
    public boolean connect(int fd, InetSocketAddress remote) throws NativeCallException {
        return LinuxSocket.connect(fd, remote);
    }

    @Override
    public int sendNow(int fd, byte[] bytes, int offset) throws NativeCallException {
        return LinuxSocket.sendNow(fd, bytes, offset);
    }

    @Override
    public TcpInfo tcpInfo(int fd) throws NativeCallException {
        return LinuxSocket.tcpInfo(fd);
    }

    @Override
    public void sendEmpty(int fd) throws NativeCallException {
        LinuxSocket.sendEmpty(fd);
    }

    @Override
    public boolean setNonBlocking(int fd, boolean nonBlocking) throws NativeCallException {
        return LinuxSocket.setNonBlocking(fd, nonBlocking);
    }

    @Override
    public int takeError(int fd) throws NativeCallException {
        return LinuxSocket.takeError(fd);
    }

    @Override
    public void awaitWritable(Object socket, int fd, long nanos) throws IOException {
        if (socket instanceof FileDescriptor jdkSocket) {
            TfoBridge.awaitWritable(jdkSocket, nanos, jdkSocket::valid);
        } else {
            TfoBridge.awaitWritable(fd, nanos);
        }
    }
}
