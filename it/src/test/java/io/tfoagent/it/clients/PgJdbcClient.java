package io.tfoagent.it.clients;

import io.tfoagent.it.peers.AgentWarmUp;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

/**
 * pgjdbc (java.net.Socket), one fresh connection per request, {@code SELECT 1} on it, user
 * {@value #USER} with the server's trust authentication and the driver's default {@code sslmode}
 * (its first bytes are an SSLRequest, which a server without TLS answers "no"). The method
 * argument is ignored; a query that returns 1 counts as status 200.
 */
public final class PgJdbcClient {
    public static final String USER = "postgres";

    private PgJdbcClient() {}

    public static void main(String[] args) {
        AgentWarmUp.await();
        ClientPeer peer = ClientPeer.begin(args);
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        int seconds = ClientPeer.TIMEOUT_MILLIS / 1000;
        properties.setProperty("connectTimeout", String.valueOf(seconds));
        properties.setProperty("socketTimeout", String.valueOf(seconds));
        peer.run(method -> {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + peer.authority() + "/" + USER,
                    properties); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT 1")) {
                if (!r.next() || r.getInt(1) != 1) {
                    throw new IllegalStateException("SELECT 1 did not return 1");
                }
                return 200;
            }
        });
    }
}
