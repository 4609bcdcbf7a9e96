package io.tfoagent.advice;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * JDK class files with the agent's advice woven in, kept on disk between JVM runs. Weaving
 * with ByteBuddy costs a few hundred milliseconds the first time in a JVM (loading and
 * warming ByteBuddy itself); a JVM that finds its JDK's classes here never loads ByteBuddy.
 *
 * <p>These bytes become part of java.base, so an entry is used only when everything it was
 * made from is byte-for-byte the same: the JDK's original class file (stored in the entry
 * and compared whole) and the agent's advice and bridge (a checksum over their class files,
 * with the agent version). The directory must belong to this user and be writable by no
 * one else, and is never followed through a symbolic link; otherwise the cache is off.
 */
final class WovenClassCache {
    private static final int MAGIC = 0x54464f57; // "TFOW"
    private static final int FORMAT = 1;
    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

    /** Null when the cache is off. */
    private final Path dir;
    private final long adviceKey;

    private WovenClassCache(Path dir, long adviceKey) {
        this.dir = dir;
        this.adviceKey = adviceKey;
    }

    static WovenClassCache off() {
        return new WovenClassCache(null, 0);
    }

    /**
     * @param dir where to keep entries, created (mode 700) if missing
     * @param adviceKey identifies the advice and bridge the entries were woven with
     * @return a cache, or one that is off when {@code dir} is not safe to load classes from
     */
    static WovenClassCache in(Path dir, long adviceKey) {
        try {
            if (!Files.exists(dir, NO_FOLLOW)) {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            return new WovenClassCache(ownedByUsAlone(dir) ? dir : null, adviceKey);
        } catch (IOException | RuntimeException e) {
            return off();
        }
    }

    /** A checksum over the class files the woven code depends on, and the agent version. */
    static long adviceKey(String version, Iterable<String> classFiles, ClassLoader loader) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(version.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (String name : classFiles) {
            try (InputStream in = loader.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IOException("missing " + name);
                }
                crc.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                crc.update(in.readAllBytes());
            }
        }
        return crc.getValue();
    }

    boolean enabled() {
        return dir != null;
    }

    /** The woven bytes made earlier from exactly {@code original}, or null. */
    byte[] lookup(String className, byte[] original) {
        if (dir == null) {
            return null;
        }
        Path entry = entryFor(className, original);
        try {
            if (!Files.isRegularFile(entry, NO_FOLLOW) || !ownedByUsAlone(entry)) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(Files.newInputStream(entry, NO_FOLLOW))) {
                if (in.readInt() != MAGIC || in.readInt() != FORMAT || in.readLong() != adviceKey) {
                    return null;
                }
                byte[] stored = new byte[in.readInt()];
                in.readFully(stored);
                if (!Arrays.equals(stored, original)) {
                    return null;
                }
                byte[] woven = new byte[in.readInt()];
                in.readFully(woven);
                return woven;
            }
        } catch (IOException | RuntimeException e) {
            return null; // a torn or foreign file is only a miss
        }
    }

    /** Keeps {@code woven} for the next JVM; written aside and renamed, so readers never see half an entry. */
    void store(String className, byte[] original, byte[] woven) {
        if (dir == null) {
            return;
        }
        Path temp = null;
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(original.length + woven.length + 32);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(MAGIC);
                out.writeInt(FORMAT);
                out.writeLong(adviceKey);
                out.writeInt(original.length);
                out.write(original);
                out.writeInt(woven.length);
                out.write(woven);
            }
            temp = Files.createTempFile(dir, className, ".tmp");
            Files.write(temp, bytes.toByteArray());
            try {
                Files.move(temp, entryFor(className, original), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, entryFor(className, original), StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (IOException | RuntimeException e) {
            // A read-only or full disk costs the next JVM a weave, nothing more.
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }
    }

    private Path entryFor(String className, byte[] original) {
        CRC32 crc = new CRC32();
        crc.update(original);
        return dir.resolve(className + "-" + Long.toHexString(crc.getValue()) + "-" + Long.toHexString(adviceKey)
                + ".woven");
    }

    /** Owned by this process's user, and writable by no one else. */
    private static boolean ownedByUsAlone(Path path) throws IOException {
        Object ourUid = Files.getAttribute(Paths.get("/proc/self"), "unix:uid");
        int mode = (Integer) Files.getAttribute(path, "unix:mode", NO_FOLLOW);
        return ourUid.equals(Files.getAttribute(path, "unix:uid", NO_FOLLOW)) && (mode & 0022) == 0;
    }
}
