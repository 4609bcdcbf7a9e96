package io.tfoagent.it.races;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Reads one HTTP/1.1 response by its Content-Length, so that the client never waits for the server's close. */
final class HttpResponses {
    private static final int MAX_HEAD = 16 * 1024;

    private HttpResponses() {}

    /** The status line of the response, after reading its head and its body; EOFException if the stream ends first. */
    static String read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0 || head.size() >= MAX_HEAD) {
                throw new EOFException("response head ended after " + head.size() + " bytes");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                length = Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        if (in.readNBytes(length).length < length) {
            throw new EOFException("response body ended early");
        }
        return text.substring(0, text.indexOf("\r\n"));
    }
}
