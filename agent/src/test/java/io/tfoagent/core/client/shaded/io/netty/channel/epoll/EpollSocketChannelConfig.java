package io.tfoagent.core.client.shaded.io.netty.channel.epoll;

/** A stand-in for Netty epoll's {@code EpollSocketChannelConfig}: only its own fast-open option. */
public final class EpollSocketChannelConfig {
    private final boolean tcpFastOpenConnect;

    public EpollSocketChannelConfig(boolean tcpFastOpenConnect) {
        this.tcpFastOpenConnect = tcpFastOpenConnect;
    }

    public boolean isTcpFastOpenConnect() {
        return tcpFastOpenConnect;
    }
}
