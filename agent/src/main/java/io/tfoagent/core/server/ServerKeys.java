package io.tfoagent.core.server;

import io.tfoagent.core.AgentLog;
import io.tfoagent.core.AgentThreads;
import io.tfoagent.core.Printable;
import io.tfoagent.shim.LinuxConstants;
import io.tfoagent.shim.LinuxSocket;
import io.tfoagent.shim.NativeCallException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@code server-key=file:PATH}: the TFO cookie keys every listener with TFO gets, so that
 * servers sharing one address accept each other's cookies. The file is read again whenever
 * its identity (device and inode), modification time or size changes, looked at every
 * {@value #CHECK_INTERVAL_SECONDS} s and at each new listener; new keys go on every listener
 * at once. Replacing the file (write a new one, rename it over) is the rotation.
 *
 * <p>The keys are secrets: no line here, nor any exception message, holds the file's text.
 * A file readable by group or others, unreadable or malformed is said once (until it changes
 * again) and its keys are not used: listeners keep the keys they have, which before any good
 * file are the kernel's own.
 */
public final class ServerKeys {
    static final long CHECK_INTERVAL_SECONDS = 2;
    /** A key file holds 71 characters and a newline; anything much larger is not one. */
    private static final long MAX_FILE_SIZE = 1024;

    private final Path file;
    private final String name;
    private final AgentLog log;
    /** The listeners to update on a rotation: ServerFastOpen's own set of fds with TFO. */
    private final Set<Integer> listeners;
    /** What the file looked like when last read; guarded by this. */
    private List<Object> stamp;
    /** The bytes for TCP_FASTOPEN_KEY, null while no good file was read or the kernel cannot take them. */
    private volatile byte[] keys;
    private volatile boolean unsupported;
    /** How many good files were read: the log names which one is live, never what it holds. */
    private int version;

    ServerKeys(Path file, AgentLog log, Set<Integer> listeners) {
        this.file = file;
        this.name = "server-key=file:" + Printable.quote(file.toString());
        this.log = log;
        this.listeners = listeners;
    }

    /**
     * Reads the file at once and every {@value #CHECK_INTERVAL_SECONDS} s after, on a daemon thread
     * (not in premain: a listener opened before the first read reads it itself, {@link #listenerOpened}).
     */
    void watch() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, new AgentThreads("tfo-agent-server-key"));
        timer.scheduleWithFixedDelay(new Runnable() {
            @Override
            public void run() {
                refresh();
            }
        }, 0, CHECK_INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    /** A listener got TFO: it gets the keys too, after a look at whether the file changed. */
    void listenerOpened(int fd) {
        if (!refresh()) {
            byte[] current = keys;
            if (current != null) {
                set(fd, current);
            }
        }
    }

    /**
     * Reads the file again if it changed, and puts good keys on every listener.
     *
     * @return whether new keys went on the listeners
     */
    synchronized boolean refresh() {
        if (unsupported) {
            return false;
        }
        List<Object> now = stamp();
        if (Objects.equals(now, stamp)) {
            return false;
        }
        stamp = now;
        byte[] read = read(now);
        if (read == null) {
            return false;
        }
        keys = read;
        int set = 0;
        for (int fd : listeners) {
            if (set(fd, read)) {
                set++;
            }
        }
        if (!unsupported) {
            version++;
            log.line(name + ": keys read (version " + version + ": "
                    + (read.length > FleetKeys.KEY_LENGTH ? "primary and backup" : "primary only") + "), set on "
                    + set + " listeners");
        }
        return true;
    }

    /** Identity, time and size of the file; null when it cannot be looked at (said by {@link #read}). */
    private List<Object> stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(String.valueOf(a.fileKey()), a.lastModifiedTime(), a.size());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The keys in the file, or null after one line saying why they are not used. */
    private byte[] read(List<Object> stamp) {
        String off = "; server-key is off until the file changes, listeners keep the keys they have";
        try {
            if (stamp == null) {
                throw new NoSuchFileException(file.toString());
            }
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ)) {
                log.line(name + " is readable by group or others (fix: chmod 600 " + Printable.quote(file.toString())
                        + ")" + off);
                return null;
            }
            byte[] keys = Files.size(file) > MAX_FILE_SIZE ? null
                    : FleetKeys.parse(new String(Files.readAllBytes(file), StandardCharsets.US_ASCII));
            if (keys == null) {
                log.line(name + " is not one line of " + FleetKeys.FORMAT + off);
            }
            return keys;
        } catch (IOException | RuntimeException e) {
            log.line("cannot read " + name + " (" + (e instanceof NoSuchFileException ? "no such file"
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e.getClass().getSimpleName()) + ")" + off);
            return null;
        }
    }

    /** Puts the keys on one listener; a kernel without a backup key slot gets the primary alone. */
    private boolean set(int fd, byte[] keys) {
        try {
            LinuxSocket.setFastOpenKey(fd, keys);
            return true;
        } catch (NativeCallException e) {
            if (e.errno() == LinuxConstants.ENOPROTOOPT) {
                unsupported = true;
                this.keys = null;
                log.once("server-key:kernel", name + ": this kernel has no TCP_FASTOPEN_KEY (Linux 4.15+);"
                        + " server-key is off, listeners keep the kernel's key");
            } else if (e.errno() == LinuxConstants.EINVAL && keys.length > FleetKeys.KEY_LENGTH) {
                log.once("server-key:backup", name + ": this kernel takes no backup key (Linux 5.3+); only the"
                        + " primary is set");
                return set(fd, Arrays.copyOf(keys, FleetKeys.KEY_LENGTH));
            }
            // Anything else: the fd closed or was reused since the listener got TFO; nothing to set.
            return false;
        }
    }
}
