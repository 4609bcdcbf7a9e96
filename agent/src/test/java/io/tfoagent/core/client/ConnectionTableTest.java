package io.tfoagent.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileDescriptor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConnectionTableTest {
    private static final InetSocketAddress REMOTE = InetSocketAddress.createUnresolved("t", 80);

    private final AtomicInteger tracked = new AtomicInteger();
    private final ConnectionTable table = new ConnectionTable(tracked);

    private static TfoConnection connection(FileDescriptor socket, int fd) {
        return new TfoConnection(true, socket, fd, REMOTE, false, true, 0);
    }

    @Test
    void aSocketIsFoundByItsOwnFileDescriptorObjectOnly() {
        FileDescriptor socket = new FileDescriptor();
        TfoConnection c = connection(socket, 7);
        table.add(c);
        assertSame(c, table.find(socket, 7));
        assertNull(table.find(new FileDescriptor(), 7), "another socket with the same number");
        assertNull(table.find(socket, 8));
        assertNull(table.find(socket, -1), "a closed JDK FileDescriptor reads -1");
        assertEquals(1, tracked.get());
    }

    @Test
    void aNewSocketOnTheNumberForgetsWhatAnUnseenCloseLeft() {
        FileDescriptor gone = new FileDescriptor();
        table.add(connection(gone, 7));
        FileDescriptor fresh = new FileDescriptor();
        table.forgetOthersAt(fresh, 7);
        assertNull(table.find(gone, 7));
        assertEquals(0, tracked.get());
        TfoConnection mine = connection(fresh, 7);
        table.add(mine);
        table.forgetOthersAt(fresh, 7);
        assertSame(mine, table.find(fresh, 7), "its own connection stays");
    }

    @Test
    void removeTakesOnlyThatConnection() {
        FileDescriptor socket = new FileDescriptor();
        TfoConnection old = connection(socket, 7);
        table.add(old);
        TfoConnection replacement = connection(new FileDescriptor(), 7);
        table.add(replacement);
        assertEquals(1, tracked.get(), "a replaced slot is still one socket");
        assertTrue(!table.remove(old));
        assertTrue(table.remove(replacement));
        assertEquals(0, tracked.get());
    }

    @Test
    void growsForLargeFdNumbers() {
        List<TfoConnection> all = new ArrayList<>();
        for (int fd : new int[] {3, 255, 256, 4095, 70_000}) {
            TfoConnection c = connection(new FileDescriptor(), fd);
            table.add(c);
            all.add(c);
        }
        for (TfoConnection c : all) {
            assertSame(c, table.find(c.socket, c.fd));
        }
        assertEquals(5, tracked.get());
    }

    /**
     * The lost update of finding 3: with the count published separately from its atomic
     * update, an "untrack to 0" could land after a concurrent "track to 1", and the bridge
     * skipped a followed socket. Here every thread checks, between adding its socket and
     * removing it, that the count the bridge reads says "something is followed".
     */
    @Test
    void theCountNeverSaysNothingIsFollowedWhileASocketIs() throws Exception {
        int threads = 8;
        int rounds = 20_000;
        AtomicLong missed = new AtomicLong();
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int fd = 100 + t;
            Thread w = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        TfoConnection c = connection(new FileDescriptor(), fd);
                        table.add(c);
                        if (tracked.get() == 0 || table.find(c.socket, fd) != c) {
                            missed.incrementAndGet();
                        }
                        table.remove(c);
                    }
                } catch (Exception e) {
                    missed.incrementAndGet();
                }
            });
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            w.join(60_000);
        }
        assertEquals(0, missed.get());
        assertEquals(0, tracked.get());
    }
}
