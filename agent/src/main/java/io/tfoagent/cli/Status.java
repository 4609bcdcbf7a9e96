package io.tfoagent.cli;

import com.sun.tools.attach.VirtualMachine;
import io.tfoagent.core.client.DestinationView;
import io.tfoagent.runtime.CountersLine;
import io.tfoagent.runtime.jmx.AgentMBeans;
import io.tfoagent.runtime.jmx.DestinationTable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.Attribute;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * {@code status PID}: the counters line and the destination view of the agent in a running JVM,
 * read from its MBeans through the JDK's local JMX connector, which the attach API starts in
 * the target (the same one {@code jconsole PID} uses). That connector listens on the target's
 * loopback, so this must run in the target's network namespace.
 */
final class Status {
    private Status() {}

    static int run(String pid, PrintStream out, PrintStream err) {
        if (otherNetworkNamespace(pid)) {
            err.println("tfo-agent: " + pid + " runs in another network namespace, where its JMX connector listens;"
                    + " run this there: nsenter --net=/proc/" + pid + "/ns/net java -jar tfo-agent.jar status " + pid);
            return 1;
        }
        String url;
        try {
            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                url = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
        } catch (Exception e) {
            err.println("tfo-agent: cannot attach to " + pid + ": " + e.getMessage()
                    + " (same user as the target JVM? a JDK, not a JRE? -XX:+DisableAttachMechanism?)");
            return 1;
        }
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(url))) {
            MBeanServerConnection mbeans = connector.getMBeanServerConnection();
            Map<String, Long> server = counters(mbeans, AgentMBeans.SERVER);
            Map<String, Long> client = counters(mbeans, AgentMBeans.CLIENT);
            if (server == null && client == null) {
                err.println("tfo-agent: no tfo-agent MBeans in " + pid + ": the agent is not running there, or it"
                        + " started moments ago (it registers them at its first counters line, or 5 s after its start)");
                return 1;
            }
            out.println("tfo-agent: " + pid + ": " + CountersLine.of(server, client,
                    counters(mbeans, AgentMBeans.NOT_COVERED), counters(mbeans, AgentMBeans.KERNEL)));
            if (client != null) {
                List<DestinationView.Row> rows = DestinationTable.rows((TabularData) mbeans.getAttribute(
                        new ObjectName(AgentMBeans.CLIENT), AgentMBeans.DESTINATIONS));
                for (DestinationView.Row row : rows) {
                    out.println("tfo-agent: " + pid + ": destination " + row.line());
                }
            }
            return 0;
        } catch (Exception e) {
            err.println("tfo-agent: attached to " + pid + ", but cannot read its MBeans: " + e);
            return 1;
        }
    }

    /** The numeric attributes of one MBean, or null when it is not registered. */
    private static Map<String, Long> counters(MBeanServerConnection mbeans, String name) throws Exception {
        ObjectName object = new ObjectName(name);
        if (!mbeans.isRegistered(object)) {
            return null;
        }
        // The counters only: the destination table is asked for once, by the caller.
        String[] names = Arrays.stream(mbeans.getMBeanInfo(object).getAttributes())
                .filter(a -> Long.class.getName().equals(a.getType())).map(MBeanAttributeInfo::getName)
                .toArray(String[]::new);
        Map<String, Long> values = new LinkedHashMap<>();
        for (Attribute a : mbeans.getAttributes(object, names).asList()) {
            if (a.getValue() instanceof Long) {
                values.put(a.getName(), (Long) a.getValue());
            }
        }
        return values;
    }

    /** Only when both can be read: otherwise the connect below says what is wrong. */
    private static boolean otherNetworkNamespace(String pid) {
        try {
            return !Files.readSymbolicLink(Path.of("/proc/self/ns/net"))
                    .equals(Files.readSymbolicLink(Path.of("/proc", pid, "ns", "net")));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
