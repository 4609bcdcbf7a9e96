package io.tfoagent.core.client.shaded.io.netty.channel.unix;

/** A stand-in for Netty's {@code unix.Socket}. */
public class Socket extends FileDescriptor {
    public Socket(int fd) {
        super(fd);
    }
}
