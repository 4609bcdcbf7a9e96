package io.tfoagent.core.options;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The file {@code config=PATH} names: one {@code key=value} a line, taken whole (a comma is
 * part of the value there, not a separator); blank lines and lines whose first non-blank
 * character is {@code #} are skipped. Read once, at the agent's start.
 */
final class ConfigFile {
    /** Far more than any real configuration; a bound so that config=/dev/zero cannot fill the heap. */
    static final int MAX_BYTES = 64 * 1024;

    /** One line that holds an entry, with its 1-based number in the file. */
    record Line(int number, String text) {}

    private ConfigFile() {}

    /** @throws OptionException saying why the file gives no options (missing, unreadable, too large, not UTF-8) */
    static List<Line> read(Path path) throws OptionException {
        List<Line> lines = new ArrayList<>();
        String[] all = text(path).split("\r?\n|\r", -1);
        for (int i = 0; i < all.length; i++) {
            String line = all[i].trim();
            if (!line.isEmpty() && !line.startsWith("#")) {
                lines.add(new Line(i + 1, line));
            }
        }
        return lines;
    }

    private static String text(Path path) throws OptionException {
        byte[] bytes;
        try {
            if (Files.isDirectory(path)) {
                throw new OptionException("is a directory");
            }
            try (InputStream in = Files.newInputStream(path)) {
                bytes = in.readNBytes(MAX_BYTES + 1);
            }
        } catch (NoSuchFileException e) {
            throw new OptionException("no such file");
        } catch (AccessDeniedException e) {
            throw new OptionException("permission denied");
        } catch (IOException | SecurityException e) {
            throw new OptionException("cannot be read: " + e.getMessage());
        }
        if (bytes.length > MAX_BYTES) {
            throw new OptionException("is larger than " + MAX_BYTES / 1024 + " KB");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new OptionException("is not UTF-8 text");
        }
    }
}
