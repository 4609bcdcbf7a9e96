package io.tfoagent.runtime.jmx;

import io.tfoagent.core.NotCovered;
import io.tfoagent.core.client.ClientFastOpen;
import io.tfoagent.core.client.DestinationView;
import io.tfoagent.core.server.ServerFastOpen;
import io.tfoagent.runtime.KernelTfoCounters;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The agent's MBeans on the platform MBeanServer: {@code io.tfoagent:type=Server},
 * {@code type=Client} (with the destination view) and {@code type=Kernel} (the namespace's
 * TcpExt TFO counters since the agent started). The only class that touches JMX at run time,
 * and only when {@link #register} is called, so that an agent whose MBeans are not registered
 * yet has loaded none of javax.management.
 */
public final class AgentMBeans {
    public static final String SERVER = "io.tfoagent:type=Server";
    public static final String CLIENT = "io.tfoagent:type=Client";
    public static final String KERNEL = "io.tfoagent:type=Kernel";
    /** Sockets by the path the agent does not handle; an attribute per path once one was used. */
    public static final String NOT_COVERED = "io.tfoagent:type=NotCovered";
    public static final String DESTINATIONS = CountersMBean.DESTINATIONS;

    private AgentMBeans() {}

    /** Either side may be null when it is off; an unreadable kernel has no Kernel MBean. */
    public static void register(ServerFastOpen server, ClientFastOpen client, NotCovered notCovered,
            KernelTfoCounters kernel) throws Exception {
        MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
        if (server != null) {
            platform.registerMBean(new CountersMBean("tfo-agent server side", server.counters()::snapshot, null),
                    new ObjectName(SERVER));
        }
        if (client != null) {
            platform.registerMBean(new CountersMBean("tfo-agent client side", client.counters()::snapshot,
                    () -> DestinationTable.of(client.destinations(DestinationView.MAX_KEPT))), new ObjectName(CLIENT));
        }
        platform.registerMBean(new CountersMBean("sockets by a path tfo-agent does not handle",
                notCovered::snapshot, null), new ObjectName(NOT_COVERED));
        if (kernel.sinceStart() != null) {
            platform.registerMBean(new CountersMBean("TcpExt TFO counters of this network namespace since the"
                    + " agent started", kernel::sinceStart, null), new ObjectName(KERNEL));
        }
    }
}
