package io.tfoagent.it.clients;

import io.tfoagent.it.peers.AgentWarmUp;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Jedis (java.net.Socket), one fresh connection per request, {@code PING}, {@code SET} and
 * {@code GET} on it with Jedis's defaults otherwise. The method argument is ignored; a request
 * whose answers are right counts as status 200.
 */
public final class JedisClient {
    private JedisClient() {}

    public static void main(String[] args) {
        AgentWarmUp.await();
        ClientPeer peer = ClientPeer.begin(args);
        DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(ClientPeer.TIMEOUT_MILLIS).socketTimeoutMillis(ClientPeer.TIMEOUT_MILLIS)
                .build();
        long[] serial = {0};
        peer.run(method -> {
            String value = "v" + serial[0]++;
            try (Jedis jedis = new Jedis(new HostAndPort(peer.host, peer.port), config)) {
                String pong = jedis.ping();
                String set = jedis.set("tfo", value);
                String got = jedis.get("tfo");
                if (!"PONG".equals(pong) || !"OK".equals(set) || !value.equals(got)) {
                    throw new IllegalStateException("PING/SET/GET answered " + pong + "/" + set + "/" + got);
                }
                return 200;
            }
        });
    }
}
