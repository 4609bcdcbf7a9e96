package io.tfoagent.core.client;

import io.tfoagent.shim.LinuxSocket;
import io.tfoagent.shim.NativeCallException;
import io.tfoagent.shim.TcpInfo;

/** The client side's socket calls, made by the native shim on this Linux kernel. */
public final class LinuxClientKernel implements ClientKernel {
    @Override
    public void setFastOpenConnect(int fd) throws NativeCallException {
        LinuxSocket.setFastOpenConnect(fd, true);
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
    public void setSendTimeout(int fd, int millis) throws NativeCallException {
        LinuxSocket.setSendTimeout(fd, millis);
    }

    @Override
    public int takeError(int fd) throws NativeCallException {
        return LinuxSocket.takeError(fd);
    }

    @Override
    public int awaitWritable(int fd, int millis) throws NativeCallException {
        return LinuxSocket.awaitWritable(fd, millis);
    }
}
