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

/** Embedded Tomcat with its NIO2 connector (an AsynchronousServerSocketChannel listener), answering 200 "ok". */
public final class TomcatNio2Server {
    private TomcatNio2Server() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress address = PeerRuntime.begin(args);
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("tomcat-nio2").toString());
        Connector connector = new Connector("org.apache.coyote.http11.Http11Nio2Protocol");
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
