package io.tfoagent.it.bench;

import static java.lang.invoke.MethodType.methodType;

import java.lang.invoke.MethodHandle;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What every connect pays once the agent is installed: {@code DestinationPolicy.decide} against a
 * realistic allow list of 10 entries (names, wildcards, CIDRs, IPv6, ports) and one deny entry.
 * Run by {@link OverheadBench}, not by {@code mvn verify}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PolicyBench {
    private static final String POLICY = "io.tfoagent.core.policy.DestinationPolicy";
    private static final String PATTERN = "io.tfoagent.core.policy.HostPattern";
    private static final MethodHandle DECIDE = AgentCore.method(POLICY, "decide",
            methodType(AgentCore.type(POLICY + "$Decision"), String.class, InetAddress.class, int.class),
            methodType(Object.class, Object.class, String.class, InetAddress.class, int.class));

    static final List<String> ALLOW = List.of(
            "api.partner.example:443",
            "*.svc.cluster.local",
            "*.example.com:443",
            "auth.example.net",
            "10.20.0.0/16:8080",
            "172.16.0.0/12",
            "192.168.10.5",
            "[2001:db8:1::/48]",
            "*.internal.example.org:80-90",
            "198.18.0.0/15");
    static final List<String> DENY = List.of("10.20.99.0/24");

    private Object policy;
    private InetAddress clusterAddress;
    private InetAddress benchAddress;
    private InetAddress publicAddress;

    @Setup
    public void setUp() throws Throwable {
        MethodHandle parse = AgentCore.method(PATTERN, "parse", methodType(AgentCore.type(PATTERN), String.class),
                methodType(Object.class, String.class));
        List<Object> allow = new ArrayList<>();
        for (String p : ALLOW) {
            allow.add(parse.invoke(p));
        }
        List<Object> deny = new ArrayList<>();
        for (String p : DENY) {
            deny.add(parse.invoke(p));
        }
        policy = AgentCore.constructor(POLICY, methodType(void.class, List.class, List.class, List.class))
                .invoke(allow, deny, List.of());
        // Literals: no lookups. The JDK hands IPv4 destinations over as Inet4Address.
        clusterAddress = InetAddress.getByName("10.96.3.4");
        benchAddress = InetAddress.getByName("198.18.7.9");
        publicAddress = InetAddress.getByName("203.0.113.80");
        expect(allowedHostName(), "ALLOWED");
        expect(allowedAddress(), "ALLOWED");
        expect(notAllowed(), "NOT_ALLOWED");
    }

    private static void expect(Object decision, String expected) {
        if (!decision.toString().equals(expected)) {
            throw new IllegalStateException("policy says " + decision + ", expected " + expected);
        }
    }

    /** Allowed by its name through a wildcard (second entry); every entry is still tried. */
    @Benchmark
    public Object allowedHostName() throws Throwable {
        return (Object) DECIDE.invokeExact(policy, "orders.payments.svc.cluster.local", clusterAddress, 8080);
    }

    /** Connected by address (no name), allowed by the last entry, a CIDR. */
    @Benchmark
    public Object allowedAddress() throws Throwable {
        return (Object) DECIDE.invokeExact(policy, (String) null, benchAddress, 80);
    }

    /** A public host that no entry matches: the common case on a fleet with a narrow allow list. */
    @Benchmark
    public Object notAllowed() throws Throwable {
        return (Object) DECIDE.invokeExact(policy, "www.example.org", publicAddress, 443);
    }
}
