package io.tfoagent.core.client.shaded.io.netty.channel.unix;

/**
 * A stand-in for Netty's {@code unix.FileDescriptor}, under a shading prefix as gRPC ships it: a
 * number, and an {@code equals} that compares numbers, as Netty's does (which the agent never uses).
 */
public class FileDescriptor {
    final int fd;

    public FileDescriptor(int fd) {
        this.fd = fd;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileDescriptor && ((FileDescriptor) o).fd == fd;
    }

    @Override
    public int hashCode() {
        return fd;
    }
}
