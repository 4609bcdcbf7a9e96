package io.tfoagent.core.client.shaded.io.netty.channel.epoll;

/** A stand-in for Netty epoll's {@code Native}, whose splice the agent gates. */
public final class Native {
    private Native() {}
}
