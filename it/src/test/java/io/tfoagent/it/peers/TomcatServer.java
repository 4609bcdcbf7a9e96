package io.tfoagent.it.peers;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * Embedded Tomcat answering 200 "ok", on the connector its {@code -D}{@value #PROTOCOL} names (a
 * protocol handler class): without it Tomcat's default, {@code HTTP/1.1}, which is the NIO connector
 * (a ServerSocketChannel listener); with {@code org.apache.coyote.http11.Http11Nio2Protocol} the NIO2
 * one (an AsynchronousServerSocketChannel listener). One peer for both: only the connector differs.
 */
public final class TomcatServer {
    /** The system property that names the connector's protocol. */
    public static final String PROTOCOL = "peer.tomcat.protocol";

    private TomcatServer() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress address = PeerRuntime.begin(args);
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("tomcat").toString());
        Connector connector = new Connector(System.getProperty(PROTOCOL, "HTTP/1.1"));
        connector.setProperty("address", address.getHostString());
        connector.setPort(address.getPort());
        connector.setProperty("tcpNoDelay", "true");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "ok", new Ok());
        context.addServletMappingDecoded("/", "ok");
        tomcat.start();
        PeerRuntime.listening(connector.getLocalPort());
        tomcat.getServer().await();
    }

    /** 200 "ok", and the connection closed after it. */
    private static final class Ok extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setHeader("Connection", "close");
            response.setContentLength(2);
            response.getOutputStream().write(new byte[] {'o', 'k'});
        }
    }
}
