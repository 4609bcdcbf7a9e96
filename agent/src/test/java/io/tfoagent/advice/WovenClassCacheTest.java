package io.tfoagent.advice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Woven bytes come back only for exactly the same input, and only from a directory no one else can write. */
class WovenClassCacheTest {
    private static final byte[] ORIGINAL = {1, 2, 3, 4};
    private static final byte[] WOVEN = {9, 8, 7};

    @TempDir
    Path home;

    @Test
    void returnsWhatWasStoredForTheSameClassFile() {
        WovenClassCache cache = WovenClassCache.in(home.resolve("cache"), 42);
        cache.store("sun.nio.ch.X", ORIGINAL, WOVEN);
        assertArrayEquals(WOVEN, WovenClassCache.in(home.resolve("cache"), 42).lookup("sun.nio.ch.X", ORIGINAL));
    }

    @Test
    void missesForAnotherClassFileOrAdvice() {
        WovenClassCache.in(home.resolve("cache"), 42).store("sun.nio.ch.X", ORIGINAL, WOVEN);
        assertNull(WovenClassCache.in(home.resolve("cache"), 42).lookup("sun.nio.ch.X", new byte[] {1, 2, 3, 5}));
        assertNull(WovenClassCache.in(home.resolve("cache"), 43).lookup("sun.nio.ch.X", ORIGINAL));
    }

    @Test
    void createsItsDirectoryPrivate() throws IOException {
        WovenClassCache.in(home.resolve("cache"), 1).store("sun.nio.ch.X", ORIGINAL, WOVEN);
        assertTrue(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("cache")))
                .endsWith("------"));
        try (Stream<Path> files = Files.list(home.resolve("cache"))) {
            List<Path> entries = files.toList();
            assertTrue(entries.size() == 1 && PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    entries.get(0))).endsWith("------"), entries.toString());
        }
    }

    @Test
    void refusesADirectoryOthersCanWrite() throws IOException {
        Path shared = Files.createDirectory(home.resolve("shared"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        WovenClassCache cache = WovenClassCache.in(shared, 42);
        assertFalse(cache.enabled());
        cache.store("sun.nio.ch.X", ORIGINAL, WOVEN);
        try (Stream<Path> files = Files.list(shared)) {
            assertTrue(files.findAny().isEmpty());
        }
    }

    @Test
    void refusesASymbolicLink() throws IOException {
        Path real = home.resolve("real");
        WovenClassCache.in(real, 42).store("sun.nio.ch.X", ORIGINAL, WOVEN);
        Path link = Files.createSymbolicLink(home.resolve("link"), real);
        assertFalse(WovenClassCache.in(link, 42).enabled());
    }

    @Test
    void refusesAnEntryOthersCanWrite() throws IOException {
        Path dir = home.resolve("cache");
        WovenClassCache.in(dir, 42).store("sun.nio.ch.X", ORIGINAL, WOVEN);
        try (Stream<Path> files = Files.list(dir)) {
            Files.setPosixFilePermissions(files.findFirst().orElseThrow(), PosixFilePermissions.fromString("rw-rw-rw-"));
        }
        assertNull(WovenClassCache.in(dir, 42).lookup("sun.nio.ch.X", ORIGINAL));
    }

    @Test
    void aTornEntryIsAMiss() throws IOException {
        Path dir = home.resolve("cache");
        WovenClassCache.in(dir, 42).store("sun.nio.ch.X", ORIGINAL, WOVEN);
        try (Stream<Path> files = Files.list(dir)) {
            Path entry = files.findFirst().orElseThrow();
            byte[] whole = Files.readAllBytes(entry);
            Files.write(entry, java.util.Arrays.copyOf(whole, whole.length - 2));
        }
        assertNull(WovenClassCache.in(dir, 42).lookup("sun.nio.ch.X", ORIGINAL));
    }

    @Test
    void keyChangesWithTheAdviceBytes() throws IOException {
        ClassLoader loader = getClass().getClassLoader();
        long one = WovenClassCache.adviceKey("1", List.of("io/tfoagent/advice/ListenAdvice.class"), loader);
        long two = WovenClassCache.adviceKey("1", List.of("io/tfoagent/advice/ChannelReadAdvice.class"), loader);
        long version = WovenClassCache.adviceKey("2", List.of("io/tfoagent/advice/ListenAdvice.class"), loader);
        assertNotEquals(one, two);
        assertNotEquals(one, version);
    }

    @Test
    void offNeverStoresNorFinds() {
        WovenClassCache off = WovenClassCache.off();
        off.store("sun.nio.ch.X", ORIGINAL, WOVEN);
        assertNull(off.lookup("sun.nio.ch.X", ORIGINAL));
    }
}
