package io.tfoagent.shim;

import java.io.IOException;

/** A failed libc call, with its errno kept so callers can tell "not supported" from real errors. */
public final class NativeCallException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public NativeCallException(String call, int errno, String reason) {
        super(call + " failed: " + reason + " (errno " + errno + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    /** The socket cannot do this at all (not TCP, not a socket): callers skip it quietly. */
    public boolean isUnsupported() {
        return errno == LinuxConstants.EOPNOTSUPP || errno == LinuxConstants.ENOPROTOOPT
                || errno == LinuxConstants.ENOTSOCK;
    }
}
