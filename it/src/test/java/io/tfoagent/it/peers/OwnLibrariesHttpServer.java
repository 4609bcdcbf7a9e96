package io.tfoagent.it.peers;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URISyntaxException;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Properties;
import java.util.jar.JarFile;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * An application that ships its own ByteBuddy and JNA, of other versions than the agent's, and
 * uses both: it reports which versions it got and from where, makes a class with its ByteBuddy,
 * calls libc through its JNA (also to read TCP_INFO of what it accepts, as the other peers do
 * through the shim), and serves HTTP like {@link NioHttpServer}.
 *
 * <p>It is compiled against the ByteBuddy API and the JNA API of this module's build, and run
 * with only this module's test classes and its own library jars on the class path: it never sees
 * the shim or the agent's libraries. {@code Native.VERSION} is a compile-time constant, so it is
 * read reflectively: the version that loaded, not the one compiled against.
 */
public final class OwnLibrariesHttpServer {
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_INFO = 11;
    /** {@code struct tcp_info}: u8 state, ca_state, retransmits, probes, backoff, options, ... */
    private static final int TCPI_OPTIONS_OFFSET = 5;
    private static final int TCPI_OPT_SYN_DATA = 0x20;
    private static final int TCPI_OPT_TFO_CHILD = 0x80;

    /** The app's own binding of libc, through the app's own JNA. */
    public interface LibC extends Library {
        int getpid();

        int getsockopt(int fd, int level, int name, byte[] value, IntByReference length);
    }

    private OwnLibrariesHttpServer() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress address = PeerRuntime.begin(args);

        System.out.println("BYTEBUDDY version=" + mavenVersion(ByteBuddy.class, "net.bytebuddy", "byte-buddy")
                + " jar=" + jarOf(ByteBuddy.class));
        Class<?> made = new ByteBuddy()
                .subclass(Object.class)
                .name("io.tfoagent.it.peers.MadeByAppByteBuddy")
                .method(ElementMatchers.named("toString"))
                .intercept(FixedValue.value("made by the app's ByteBuddy"))
                .make()
                .load(OwnLibrariesHttpServer.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
                .getLoaded();
        System.out.println("BYTEBUDDY made " + made.getName() + ": " + made.getDeclaredConstructor().newInstance());

        System.out.println("JNA version=" + loadedJnaVersion() + " jar=" + jarOf(Native.class));
        LibC libc = Native.load("c", LibC.class);
        System.out.println("JNA getpid=" + libc.getpid() + " pid=" + ProcessHandle.current().pid());

        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(address);
            PeerRuntime.listening(((InetSocketAddress) server.getLocalAddress()).getPort());
            while (true) {
                try (SocketChannel connection = server.accept()) {
                    connection.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    report(libc, connection);
                    HttpReply.exchange(Channels.newInputStream(connection), Channels.newOutputStream(connection));
                }
            }
        }
    }

    /** The same line as {@link AcceptedConnections}, from TCP_INFO read through the app's JNA. */
    private static void report(LibC libc, SocketChannel channel) throws IOException, ReflectiveOperationException {
        Field fdVal = channel.getClass().getDeclaredField("fdVal");
        fdVal.setAccessible(true);
        byte[] info = new byte[256];
        IntByReference length = new IntByReference(info.length);
        if (libc.getsockopt(fdVal.getInt(channel), IPPROTO_TCP, TCP_INFO, info, length) != 0) {
            throw new IOException("getsockopt(TCP_INFO) failed: errno " + Native.getLastError());
        }
        int options = info[TCPI_OPTIONS_OFFSET] & 0xff;
        System.out.println("ACCEPTED syn_data=" + ((options & TCPI_OPT_SYN_DATA) != 0)
                + " tfo_child=" + ((options & TCPI_OPT_TFO_CHILD) != 0));
    }

    /** {@code Native.VERSION} as loaded; it is declared in the package-private interface {@code Version}. */
    private static Object loadedJnaVersion() throws ReflectiveOperationException {
        Field version = Native.class.getField("VERSION");
        version.setAccessible(true);
        return version.get(null);
    }

    /** The version in the Maven metadata of the very jar {@code type} came from. */
    private static String mavenVersion(Class<?> type, String groupId, String artifactId)
            throws IOException, URISyntaxException {
        try (JarFile jar = new JarFile(jarOf(type).toFile())) {
            Properties pom = new Properties();
            pom.load(jar.getInputStream(jar.getEntry(
                    "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties")));
            return pom.getProperty("version");
        }
    }

    private static Path jarOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
