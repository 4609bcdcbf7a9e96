package io.tfoagent.advice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tfoagent.core.AgentLog;
import io.tfoagent.core.options.OptionsParser;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weaving against this JDK's real classes, and failing open against classes shaped otherwise. */
class SocketClassTransformerTest {
    private static final String SOCKET_IMPL = "sun/nio/ch/NioSocketImpl";
    private static final String NETTY_UNIX = "io/netty/channel/unix/";
    private static final String NETTY_SOCKET = NETTY_UNIX + "Socket";

    @TempDir
    Path dir;

    @Test
    void weavesEveryTargetOfTheRunningJdk() {
        Map<String, String> problems = SocketClassTransformer.of(true, true, log(dir.resolve("log"))).dryRun();
        assertEquals(8, problems.size(), problems.toString());
        problems.forEach((name, problem) -> assertNull(problem, name + ": " + problem));
    }

    @Test
    void changesTheRealClassFile() throws Exception {
        byte[] original = ClassLoader.getSystemResourceAsStream(SOCKET_IMPL + ".class").readAllBytes();
        byte[] woven = transformer(dir.resolve("log")).transform(null, null, SOCKET_IMPL, null, null, original);
        assertTrue(woven != null && !Arrays.equals(original, woven));
    }

    @Test
    void aCachedTransformerGivesTheNextJvmTheSameBytes() throws Exception {
        byte[] original = ClassLoader.getSystemResourceAsStream(SOCKET_IMPL + ".class").readAllBytes();
        Path cache = dir.resolve("cache");
        byte[] first = SocketClassTransformer.of(true, true, log(dir.resolve("log"))).cachedIn(cache, "test")
                .transform(null, null, SOCKET_IMPL, null, null, original);
        try (var entries = Files.list(cache)) {
            assertEquals(1, entries.count());
        }
        byte[] second = SocketClassTransformer.of(true, true, log(dir.resolve("log"))).cachedIn(cache, "test")
                .transform(null, null, SOCKET_IMPL, null, null, original);
        assertTrue(first != null && Arrays.equals(first, second));
    }

    @Test
    void leavesOtherClassesAlone() throws Exception {
        byte[] original = ClassLoader.getSystemResourceAsStream("java/lang/String.class").readAllBytes();
        assertNull(transformer(dir.resolve("log")).transform(null, null, "java/lang/String", null, null, original));
        assertNull(transformer(dir.resolve("log")).transform(null, getClass().getClassLoader(), SOCKET_IMPL, null,
                null, original), "only the bootstrap loader's classes are targets");
    }

    @Test
    void nettysSocketIsWovenUnderAnyPrefixForAnyLoader() {
        for (String prefix : new String[] {"", "io/grpc/netty/shaded/"}) {
            byte[] socket = nettySocket(prefix);
            byte[] woven = transformer(dir.resolve("log")).transform(null, new NettyLoader(prefix), prefix
                    + NETTY_SOCKET, null, null, socket);
            assertTrue(woven != null && woven.length > socket.length, prefix);
        }
    }

    @Test
    void namesThatOnlyEndLikeNettysSocketAreLeftAlone() {
        byte[] socket = nettySocket("");
        ClassLoader loader = new NettyLoader("");
        assertNull(transformer(dir.resolve("log")).transform(null, loader, "x" + NETTY_SOCKET, null, null, socket));
        assertNull(transformer(dir.resolve("log")).transform(null, loader, NETTY_SOCKET + "s", null, null, socket));
        assertNull(SocketClassTransformer.of(false, false, log(dir.resolve("log"))).transform(null, loader,
                NETTY_SOCKET, null, null, socket), "no side on: no advice");
    }

    /** Paths the agent does not handle get the advice that names them, under any prefix, for the side that is on. */
    @Test
    void pathsNotCoveredAreWovenForTheSideThatIsOn() throws Exception {
        Path log = dir.resolve("log");
        SocketClassTransformer clientSide = SocketClassTransformer.of(false, true, log(log));
        SocketClassTransformer serverSide = transformer(log);
        for (String prefix : new String[] {"", "io/grpc/netty/shaded/"}) {
            ClassLoader loader = new NettyLoader(prefix);
            String uring = prefix + "io/netty/channel/uring/AbstractIoUringChannel";
            byte[] channel = standIn(uring, "java/lang/Object", "submitConnect", "(Ljava/net/InetSocketAddress;)V");
            assertWoven(clientSide.transform(null, loader, uring, null, null, channel), channel, uring);
            assertNull(serverSide.transform(null, loader, uring, null, null, channel), "a connect: client side only");
        }
        String apr = "org/apache/tomcat/util/net/AprEndpoint";
        byte[] endpoint = standIn(apr, "java/lang/Object", "bind", "()V");
        assertWoven(serverSide.transform(null, new NettyLoader(""), apr, null, null, endpoint), endpoint, apr);
        assertNull(clientSide.transform(null, new NettyLoader(""), apr, null, null, endpoint),
                "a listener: server side only");
        assertEquals("", Files.readString(log));
    }

    /**
     * Netty's epoll client classes as the ITs' Netty 4.2 and gRPC's shaded 4.1 ship them: every
     * gated method is found and woven (a shape the advice misses would leave the class unwoven, and
     * its connects only named), and the client core hears of each.
     */
    @Test
    void realNettyEpollClientClassesAreWovenAndHeardOf() throws Exception {
        Path log = dir.resolve("log");
        Readiness readiness = new Readiness();
        SocketClassTransformer clientSide = SocketClassTransformer.of(true, true, log(log)).reportingTo(readiness);
        ClassLoader loader = getClass().getClassLoader();
        for (String prefix : new String[] {"", "io/grpc/netty/shaded/"}) {
            for (String name : new String[] {"io/netty/channel/unix/FileDescriptor", NETTY_SOCKET,
                    "io/netty/channel/epoll/LinuxSocket", "io/netty/channel/epoll/Native",
                    "io/netty/channel/epoll/EpollSocketChannel"}) {
                byte[] original;
                try (InputStream in = loader.getResourceAsStream(prefix + name + ".class")) {
                    original = in.readAllBytes();
                }
                byte[] woven = clientSide.transform(null, loader, prefix + name, null, null, original);
                assertWoven(woven, original, prefix + name + ": " + Files.readString(log));
                assertTrue(readiness.heard.contains("woven outside the JDK: " + prefix + name), readiness.heard
                        .toString());
            }
        }
        assertEquals("", Files.readString(log));
    }

    private static void assertWoven(byte[] woven, byte[] original, String what) {
        assertTrue(woven != null && woven.length > original.length, what);
    }

    @Test
    void aJdkWithoutTheMethodIsLeftUntouchedAndSaidOnce() throws Exception {
        Path log = dir.resolve("log");
        byte[] shapedOtherwise = socketImplWith(false, false);
        assertNull(transformer(log).transform(null, null, SOCKET_IMPL, null, null, shapedOtherwise));
        String said = Files.readString(log);
        assertTrue(said.contains("cannot instrument sun.nio.ch.NioSocketImpl"), said);
        assertTrue(said.contains("no method listen(int)"), said);
    }

    @Test
    void aJdkWithoutTheFieldIsLeftUntouched() throws Exception {
        Path log = dir.resolve("log");
        assertNull(transformer(log).transform(null, null, SOCKET_IMPL, null, null, socketImplWith(true, false)));
        assertTrue(Files.readString(log).contains("cannot instrument sun.nio.ch.NioSocketImpl"));
    }

    @Test
    void aClassShapedLikeTheJdkOneIsWoven() throws Exception {
        Path log = dir.resolve("log");
        byte[] expected = socketImplWith(true, true);
        byte[] woven = transformer(log).transform(null, null, SOCKET_IMPL, null, null, expected);
        assertTrue(woven != null && woven.length > expected.length);
        assertEquals("", Files.readString(log));
    }

    @Test
    void theClientSideIsReportedWovenOnlyWhenEveryClientClassWeaves() {
        Readiness readiness = new Readiness();
        SocketClassTransformer.of(false, true, log(dir.resolve("log"))).reportingTo(readiness).weaveAllAndReport();
        assertEquals(List.of("woven"), readiness.heard);
    }

    @Test
    void aClientClassThatCannotBeWovenTurnsTheClientSideOff() {
        Readiness readiness = new Readiness();
        SocketClassTransformer t = SocketClassTransformer.of(false, true, log(dir.resolve("log"))).reportingTo(readiness);
        assertNull(t.transform(null, null, SOCKET_IMPL, null, null, socketImplWith(true, true)),
                "a NioSocketImpl without the client's methods");
        assertEquals(1, readiness.heard.size());
        assertTrue(readiness.heard.get(0).startsWith("not woven: cannot instrument sun.nio.ch.NioSocketImpl"),
                readiness.heard.toString());
    }

    @Test
    void aServerOnlyFailureLeavesTheClientSideAlone() {
        Readiness readiness = new Readiness();
        SocketClassTransformer t = SocketClassTransformer.of(true, false, log(dir.resolve("log"))).reportingTo(readiness);
        assertNull(t.transform(null, null, SOCKET_IMPL, null, null, socketImplWith(false, false)));
        assertEquals(List.of(), readiness.heard);
    }

    @Test
    void duringTheWarmUpOtherThreadsLeaveUncachedClassesToIt() throws Exception {
        Readiness readiness = new Readiness();
        SocketClassTransformer t = SocketClassTransformer.of(true, true, log(dir.resolve("log"))).reportingTo(readiness);
        byte[] original = ClassLoader.getSystemResourceAsStream(SOCKET_IMPL + ".class").readAllBytes();
        CountDownLatch jnaLoading = new CountDownLatch(1);
        t.warmUpInBackground(() -> await(jnaLoading), () -> { });
        assertNull(t.transform(null, null, SOCKET_IMPL, null, null, original),
                "the application's class load does not wait for weaving");
        assertEquals(List.of(), readiness.heard, "not ready before the warm-up has woven everything");
        jnaLoading.countDown();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("tfo-agent-warm-up")) {
                thread.join(60_000);
            }
        }
        assertEquals(List.of("woven"), readiness.heard);
        assertTrue(t.transform(null, null, SOCKET_IMPL, null, null, original) != null, "woven once it is over");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the client core would hear. */
    private static final class Readiness implements SocketClassTransformer.ClientSideReadiness {
        final List<String> heard = new ArrayList<>();

        @Override
        public void woven() {
            heard.add("woven");
        }

        @Override
        public void notWoven(String reason) {
            heard.add("not woven: " + reason);
        }

        @Override
        public void wovenOutsideJdk(ClassLoader loader, String className) {
            heard.add("woven outside the JDK: " + className);
        }
    }

    /** The server side's advice: the stand-in classes below have just its methods. */
    private static SocketClassTransformer transformer(Path log) {
        return SocketClassTransformer.of(true, false, log(log));
    }

    private static AgentLog log(Path file) {
        try {
            return AgentLog.open(OptionsParser.parse(null, "log=file:" + file).log());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * A stand-in for Netty's Socket under {@code prefix}: listen(int), connect(SocketAddress), and the fd
     * field of its superclass.
     */
    private static byte[] nettySocket(String prefix) {
        return standIn(prefix + NETTY_SOCKET, prefix + NETTY_UNIX + "FileDescriptor", "listen", "(I)V", "connect",
                "(Ljava/net/SocketAddress;)Z");
    }

    /** A class {@code name} extending {@code superName} with empty methods, given as name, descriptor, name, ... */
    private static byte[] standIn(String name, String superName, String... methods) {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
        w.visit(Opcodes.V11, Opcodes.ACC_PUBLIC, name, null, superName, null);
        for (int i = 0; i < methods.length; i += 2) {
            MethodVisitor v = w.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, methods[i], methods[i + 1], null,
                    null);
            v.visitCode();
            if (methods[i + 1].endsWith("Z")) {
                v.visitInsn(Opcodes.ICONST_0);
                v.visitInsn(Opcodes.IRETURN);
            } else {
                v.visitInsn(Opcodes.RETURN);
            }
            v.visitMaxs(0, 0);
            v.visitEnd();
        }
        w.visitEnd();
        return w.toByteArray();
    }

    /** An application's loader that has the stand-in Netty FileDescriptor (with {@code int fd}) under a prefix. */
    private static final class NettyLoader extends ClassLoader {
        private final String fileDescriptor;

        NettyLoader(String prefix) {
            super(null);
            fileDescriptor = prefix + NETTY_UNIX + "FileDescriptor";
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            if (!name.equals(fileDescriptor + ".class")) {
                return super.getResourceAsStream(name);
            }
            ClassWriter w = new ClassWriter(0);
            w.visit(Opcodes.V11, Opcodes.ACC_PUBLIC, fileDescriptor, null, "java/lang/Object", null);
            w.visitField(Opcodes.ACC_FINAL, "fd", "I", null, null).visitEnd();
            w.visitEnd();
            return new ByteArrayInputStream(w.toByteArray());
        }
    }

    /** A stand-in NioSocketImpl: optionally with listen(int)/accept(SocketImpl), optionally with the fd field. */
    private static byte[] socketImplWith(boolean methods, boolean fdField) {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
        w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, SOCKET_IMPL, null, "java/lang/Object", null);
        if (fdField) {
            w.visitField(Opcodes.ACC_PROTECTED, "fd", "Ljava/io/FileDescriptor;", null, null).visitEnd();
        }
        if (methods) {
            for (String[] m : new String[][] {{"listen", "(I)V"}, {"accept", "(Ljava/net/SocketImpl;)V"}}) {
                MethodVisitor v = w.visitMethod(Opcodes.ACC_PROTECTED, m[0], m[1], null, null);
                v.visitCode();
                v.visitInsn(Opcodes.RETURN);
                v.visitMaxs(0, 0);
                v.visitEnd();
            }
        }
        w.visitEnd();
        return w.toByteArray();
    }
}
