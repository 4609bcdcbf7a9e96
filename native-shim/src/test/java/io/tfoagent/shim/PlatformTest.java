package io.tfoagent.shim;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PlatformTest {

    @Test
    void linuxOnSupportedArchitectures() {
        assertNull(Platform.unsupportedReason("Linux", "amd64"));
        assertNull(Platform.unsupportedReason("Linux", "x86_64"));
        assertNull(Platform.unsupportedReason("Linux", "aarch64"));
    }

    @Test
    void notLinux() {
        String mac = Platform.unsupportedReason("Mac OS X", "aarch64");
        assertNotNull(mac);
        assertTrue(mac.contains("not Linux"), mac);
        assertTrue(mac.contains("Mac OS X"), mac);
        String windows = Platform.unsupportedReason("Windows 11", "amd64");
        assertNotNull(windows);
        assertTrue(windows.contains("not Linux"), windows);
    }

    @Test
    void unsupportedArchitecture() {
        String riscv = Platform.unsupportedReason("Linux", "riscv64");
        assertNotNull(riscv);
        assertTrue(riscv.contains("architecture"), riscv);
        assertTrue(riscv.contains("riscv64"), riscv);
        assertNotNull(Platform.unsupportedReason("Linux", "x86"));
        assertNotNull(Platform.unsupportedReason("Linux", "arm"));
    }

    @Test
    void thisMachineIsSupported() {
        // The shim's tests run here on Linux x86_64 or aarch64.
        assertNull(Platform.unsupportedReason());
    }
}
