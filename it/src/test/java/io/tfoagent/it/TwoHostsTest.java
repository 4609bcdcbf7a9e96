package io.tfoagent.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the test classes that need a client and a server host: two network namespaces the
 * class creates (TFO on in both) joined by a veth link, removed after its last test. The
 * fields are static for JUnit's class lifecycle; test classes run one after another.
 */
abstract class TwoHostsTest {
    static NetNs client;
    static NetNs server;
    static NetNs.Link link;

    @BeforeAll
    static void createHosts() {
        NetNs.assumeRoot();
        client = NetNs.create();
        server = NetNs.create();
        link = client.link(server, 0);
    }

    @AfterAll
    static void removeHosts() {
        try (NetNs c = client; NetNs s = server) {
            // closes both, skipping a null one, and the second even if the first fails
        } finally {
            client = null;
            server = null;
            link = null;
        }
    }
}
