package io.tfoagent.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NativeCallExceptionTest {

    @Test
    void messageNamesCallReasonAndErrno() {
        NativeCallException e = new NativeCallException("setsockopt(TCP_FASTOPEN)", 9, "Bad file descriptor");
        assertEquals("setsockopt(TCP_FASTOPEN) failed: Bad file descriptor (errno 9)", e.getMessage());
        assertEquals(9, e.errno());
    }

    @Test
    void unsupportedErrnos() {
        assertTrue(new NativeCallException("c", LinuxConstants.EOPNOTSUPP, "r").isUnsupported());
        assertTrue(new NativeCallException("c", LinuxConstants.ENOPROTOOPT, "r").isUnsupported());
        assertTrue(new NativeCallException("c", LinuxConstants.ENOTSOCK, "r").isUnsupported());
        assertFalse(new NativeCallException("c", LinuxConstants.EBADF, "r").isUnsupported());
        assertFalse(new NativeCallException("c", 22, "r").isUnsupported());
    }
}
