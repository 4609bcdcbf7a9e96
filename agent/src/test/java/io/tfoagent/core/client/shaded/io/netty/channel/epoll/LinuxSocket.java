package io.tfoagent.core.client.shaded.io.netty.channel.epoll;

import io.tfoagent.core.client.shaded.io.netty.channel.unix.Socket;

/** A stand-in for Netty epoll's {@code LinuxSocket}. */
public final class LinuxSocket extends Socket {
    public LinuxSocket(int fd) {
        super(fd);
    }
}
