package io.tfoagent.shim;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** struct sockaddr_in and sockaddr_in6 as the kernel reads them (x86-64 and aarch64 Linux). */
final class SocketAddresses {
    static final int SOCKADDR_IN_LENGTH = 16;
    static final int SOCKADDR_IN6_LENGTH = 28;

    private SocketAddresses() {}

    /**
     * The address for a socket of {@code domain}: an IPv4 destination of an AF_INET6 socket
     * becomes ::ffff:a.b.c.d; an IPv6 destination of an AF_INET socket cannot be reached.
     */
    static byte[] encode(InetSocketAddress remote, int domain) throws NativeCallException {
        InetAddress address = remote.getAddress();
        if (address == null) {
            throw new NativeCallException("connect", LinuxConstants.EINVAL, "unresolved address " + remote);
        }
        if (domain == LinuxConstants.AF_INET) {
            if (!(address instanceof Inet4Address)) {
                throw new NativeCallException("connect", LinuxConstants.EAFNOSUPPORT,
                        "an IPv6 destination for an IPv4 socket");
            }
            byte[] raw = new byte[SOCKADDR_IN_LENGTH];
            header(raw, LinuxConstants.AF_INET, remote.getPort());
            System.arraycopy(address.getAddress(), 0, raw, 4, 4);
            return raw;
        }
        byte[] raw = new byte[SOCKADDR_IN6_LENGTH];
        header(raw, LinuxConstants.AF_INET6, remote.getPort());
        byte[] ip = address.getAddress();
        if (ip.length == 4) {
            raw[18] = (byte) 0xff;
            raw[19] = (byte) 0xff;
            System.arraycopy(ip, 0, raw, 20, 4);
        } else {
            System.arraycopy(ip, 0, raw, 8, 16);
            int scope = ((Inet6Address) address).getScopeId();
            raw[24] = (byte) scope;
            raw[25] = (byte) (scope >>> 8);
            raw[26] = (byte) (scope >>> 16);
            raw[27] = (byte) (scope >>> 24);
        }
        return raw;
    }

    /** sa_family in host (little-endian) order, the port in network order. */
    private static void header(byte[] raw, int family, int port) {
        raw[0] = (byte) family;
        raw[1] = (byte) (family >>> 8);
        raw[2] = (byte) (port >>> 8);
        raw[3] = (byte) port;
    }
}
