package io.tfoagent.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The idle-open timer's thread belongs to no application (issue 7, finding 9): made from a
 * thread of a web application (its own context class loader and inheritable thread-locals),
 * it must carry neither, or it keeps a redeployed application's classes alive.
 */
class IdleOpenerTest {
    private static final InheritableThreadLocal<Object> REQUEST_STATE = new InheritableThreadLocal<>();

    @Test
    void theTimerThreadCarriesNothingOfTheThreadThatStartedIt() throws Exception {
        ClassLoader webApp = new URLClassLoader(new URL[0]);
        AtomicReference<ClassLoader> loaderSeen = new AtomicReference<>(webApp);
        AtomicReference<Object> stateSeen = new AtomicReference<>("unset");
        AtomicReference<Boolean> daemon = new AtomicReference<>();
        Thread application = new Thread(() -> {
            REQUEST_STATE.set("a request's state");
            try {
                new IdleOpener().schedule(() -> {
                    loaderSeen.set(Thread.currentThread().getContextClassLoader());
                    stateSeen.set(REQUEST_STATE.get());
                    daemon.set(Thread.currentThread().isDaemon());
                }, 1).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        application.setContextClassLoader(webApp);
        application.start();
        application.join(20_000);
        assertNull(loaderSeen.get(), "no context class loader");
        assertNull(stateSeen.get(), "no inherited thread-locals");
        assertEquals(Boolean.TRUE, daemon.get());
        assertTrue(!application.isAlive());
    }
}
