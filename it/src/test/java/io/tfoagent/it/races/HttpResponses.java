package io.tfoagent.it.races;

import io.tfoagent.it.peers.HttpHeads;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Reads one HTTP/1.1 response by its Content-Length, so that the client never waits for the server's close. */
final class HttpResponses {
    private HttpResponses() {}

    /** The status line of the response, after reading its head and its body; EOFException if the stream ends first. */
    static String read(InputStream in) throws IOException {
        String text = HttpHeads.read(in);
        if (text == null) {
            throw new EOFException("response head ended early");
        }
        int length = HttpHeads.contentLength(text);
        if (in.readNBytes(length).length < length) {
            throw new EOFException("response body ended early");
        }
        return text.substring(0, text.indexOf("\r\n"));
    }
}
