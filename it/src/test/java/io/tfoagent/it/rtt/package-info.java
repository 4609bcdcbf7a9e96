/**
 * Round-trip time emulation between two network namespaces, for a kernel without
 * {@code sch_netem} (DESIGN.md §6): a {@link io.tfoagent.it.rtt.DelayLine} holds every packet
 * between the namespaces for a set one-way delay, over a TUN device in each.
 *
 * <h2>From a test</h2>
 * <pre>{@code
 * try (NetNamespace client = NetNamespace.createUnique("client");   // tfortt-<pid>-client<n>, tcp_fastopen=3
 *      NetNamespace server = NetNamespace.createUnique("server");
 *      DelayLine line = DelayLine.start(client.name(), server.name(), Duration.ofMillis(50))) {
 *     // server listens on line.b().ipv4() (198.18.200.2) or line.b().ipv6() (2001:2:0:200::2);
 *     // client connects from line.a() (198.18.200.1 / 2001:2:0:200::1).
 *     // Child JVMs: client.exec(List.of(java, ...)) runs them inside a namespace (ip netns exec).
 *     // In-process sockets: client.call(() -> { ... new Socket().connect(...) ... }).
 * }
 * }</pre>
 * Any two existing namespaces work (the harness's own, by name); {@link
 * io.tfoagent.it.rtt.DelayLine.Config} sets per-direction delays, another subnet (to run two
 * lines, or to stay clear of a veth pair on 198.18.200.0/24) and the queue limit.
 * {@link io.tfoagent.it.rtt.DelayLineProcess} runs the same line in a JVM of its own (serial GC,
 * no allocation on the path) so that the test JVM's GC pauses cannot hold packets; use it for
 * long benchmarks. {@link io.tfoagent.it.rtt.RttProbe} measures across a line (TCP connect
 * time, one-way UDP delay, bulk transfers).
 *
 * <h2>By hand</h2>
 * {@code bash it/rtt.sh start 50} (namespaces {@code tfortt-client}, {@code tfortt-server};
 * client 198.18.200.1, server 198.18.200.2), {@code bash it/rtt.sh status}, {@code bash it/rtt.sh stop}.
 * {@code DelayLineMain measure} prints accuracy and CPU cost on this machine.
 *
 * <h2>How exact</h2>
 * The delay is a floor: no packet is ever delivered before arrival + delay. On top come the TUN
 * hops and thread wake-ups: a TCP handshake takes RTT + 0.2..0.4 ms (median), p99 about
 * +0.5 ms, on the 2-core development VM; the writer itself hands packets over p50 0 µs,
 * p99 &lt; 0.2 ms after their due time. Rare multi-millisecond stalls of the whole VM show up
 * as outliers (a few per 10,000 packets under load). Order is kept per direction; nothing is
 * reordered, duplicated or corrupted. Above about 50 MB/s (one writer thread for both
 * directions) packets queue in the line and arrive late rather than being dropped (tail drop
 * only past {@code queueLimit}, 8192 packets per direction; counted in {@code stats()}).
 *
 * <p>Only for tests: needs root (namespaces, {@code /dev/net/tun}, SCHED_FIFO); Linux x86-64/
 * aarch64 (LP64); addresses from 198.18.0.0/15 and 2001:2::/48 only. These classes depend on JNA
 * alone (it/rtt.sh compiles them by themselves): keep it that way.
 */
package io.tfoagent.it.rtt;
