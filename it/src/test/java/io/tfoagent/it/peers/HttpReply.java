package io.tfoagent.it.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The fixed answer of the raw-socket peers to one HTTP/1.1 request. */
final class HttpReply {
    private static final byte[] RESPONSE =
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);

    private HttpReply() {}

    /** Reads the request head (up to the blank line) and writes the response; the caller closes. */
    static void exchange(InputStream in, OutputStream out) throws IOException {
        if (HttpHeads.read(in) == null) {
            return;
        }
        out.write(RESPONSE);
        out.flush();
    }
}
