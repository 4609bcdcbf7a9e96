package io.tfoagent.it.latency;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * {@link java.net.Socket} (NioSocketImpl), connect with a timeout, TCP_NODELAY as a latency-minded
 * client would set it, the whole request in one write; over TLS 1.3 an {@link SSLSocket} layered
 * on that socket. Reads the response head and then exactly Content-Length bytes.
 */
final class SocketFetcher implements Fetcher {
    private final SSLSocketFactory tls;

    SocketFetcher(SSLContext tls) {
        this.tls = tls == null ? null : tls.getSocketFactory();
    }

    @Override
    public Result fetch(URI uri, String method) throws Exception {
        String host = uri.getHost();
        int port = Fetcher.port(uri);
        try (Socket plain = new Socket()) {
            plain.setTcpNoDelay(true);
            plain.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            plain.setSoTimeout(TIMEOUT_MILLIS);
            Socket socket = plain;
            if (uri.getScheme().equals("https")) {
                SSLSocket ssl = (SSLSocket) tls.createSocket(plain, host, port, true);
                SSLParameters parameters = ssl.getSSLParameters();
                parameters.setProtocols(new String[] {"TLSv1.3"});
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(parameters);
                socket = ssl;
            }
            try (Socket s = socket) {
                OutputStream out = s.getOutputStream();
                out.write(request(uri, method));
                out.flush();
                return readResponse(new BufferedInputStream(s.getInputStream(), 4096));
            }
        }
    }

    private static byte[] request(URI uri, String method) {
        boolean body = Fetcher.hasBody(method);
        String head = method + " / HTTP/1.1\r\nHost: " + Fetcher.authority(uri) + "\r\nUser-Agent: tfo-agent-latency\r\n"
                + "Connection: close\r\n" + (body ? "Content-Type: text/plain\r\nContent-Length: " + BODY.length()
                + "\r\n" : "") + "\r\n";
        return (head + (body ? BODY : "")).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Reads the head up to the blank line, then the body by Content-Length: the last byte, not the
     * FIN, ends it. {@code in} must be buffered (single-byte reads).
     */
    static Result readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside the response head: '" + head + "'");
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r\n");
        String[] statusLine = lines[0].split(" ");
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x response: '" + text + "'");
        }
        long length = -1;
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        if (length < 0) {
            in.readAllBytes(); // no length: the body ends with the connection
        } else {
            for (long left = length; left > 0; left--) {
                if (in.read() < 0) {
                    throw new EOFException("connection closed inside the response body");
                }
            }
        }
        return new Result(Integer.parseInt(statusLine[1]), System.nanoTime());
    }
}
