package io.tfoagent.core;

import java.net.InetSocketAddress;

/**
 * Where each connection's TFO outcome goes besides its counter: a JFR event while a recording
 * takes it ({@code runtime.JfrDecisions}), else nowhere. Called once per connection, from
 * ClientCounters and ServerCounters only; an implementation must cost next to nothing while
 * nobody listens, and must never throw.
 */
public interface Decisions {
    /** Listens to nothing: the default until the runtime connects a recorder. */
    Decisions NONE = new Decisions() {
        @Override
        public void decided(String side, InetSocketAddress destination, String outcome, String reason,
                boolean acked) {}
    };

    /**
     * @param side {@code client} or {@code server}
     * @param destination the client's destination, or the server's listener address
     * @param outcome what the connection got, one short word (see README, "JFR event")
     * @param reason why, in the words of the counters line
     * @param acked whether data rode in the SYN and the other end took it
     */
    void decided(String side, InetSocketAddress destination, String outcome, String reason, boolean acked);
}
