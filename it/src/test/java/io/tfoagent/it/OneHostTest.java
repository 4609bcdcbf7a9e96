package io.tfoagent.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the test classes that need one host of their own: a network namespace the class
 * creates (TFO on) and removes after its last test; loopback inside it is the network.
 */
abstract class OneHostTest {
    static NetNs ns;

    @BeforeAll
    static void createHost() {
        NetNs.assumeRoot();
        ns = NetNs.create();
    }

    @AfterAll
    static void removeHost() {
        if (ns != null) {
            ns.close();
            ns = null;
        }
    }
}
