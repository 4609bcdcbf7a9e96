package io.tfoagent.runtime.jmx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanException;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.ReflectionException;
import javax.management.openmbean.OpenMBeanAttributeInfoSupport;
import javax.management.openmbean.OpenMBeanInfoSupport;
import javax.management.openmbean.OpenMBeanConstructorInfoSupport;
import javax.management.openmbean.OpenMBeanOperationInfoSupport;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;

/**
 * Read-only counters as an open MBean: every counter a Long attribute, from one snapshot per
 * read; optionally the destination view as a {@code Destinations} table. Nothing can be set
 * or invoked.
 */
final class CountersMBean implements DynamicMBean {
    static final String DESTINATIONS = "Destinations";

    private final String description;
    /** A snapshot may be null (the kernel's counters unreadable): no counter attributes then. */
    private final Supplier<Map<String, Long>> counters;
    /** Null for an MBean without the destination view. */
    private final Supplier<TabularData> destinations;

    CountersMBean(String description, Supplier<Map<String, Long>> counters, Supplier<TabularData> destinations) {
        this.description = description;
        this.counters = counters;
        this.destinations = destinations;
    }

    private Map<String, Long> snapshot() {
        Map<String, Long> snapshot = counters.get();
        return snapshot != null ? snapshot : Map.of();
    }

    @Override
    public Object getAttribute(String name) throws AttributeNotFoundException {
        if (destinations != null && name.equals(DESTINATIONS)) {
            return destinations.get();
        }
        Long value = snapshot().get(name);
        if (value == null) {
            throw new AttributeNotFoundException(name);
        }
        return value;
    }

    @Override
    public AttributeList getAttributes(String[] names) {
        Map<String, Long> snapshot = snapshot();
        AttributeList list = new AttributeList();
        for (String name : names) {
            if (snapshot.containsKey(name)) {
                list.add(new Attribute(name, snapshot.get(name)));
            } else if (destinations != null && name.equals(DESTINATIONS)) {
                list.add(new Attribute(name, destinations.get()));
            }
        }
        return list;
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException(attribute.getName() + " is read-only");
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String action, Object[] params, String[] signature) throws MBeanException,
            ReflectionException {
        throw new ReflectionException(new NoSuchMethodException(action), "no operations");
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        List<OpenMBeanAttributeInfoSupport> attributes = new ArrayList<>();
        for (String name : snapshot().keySet()) {
            attributes.add(new OpenMBeanAttributeInfoSupport(name, name, SimpleType.LONG, true, false, false));
        }
        if (destinations != null) {
            attributes.add(new OpenMBeanAttributeInfoSupport(DESTINATIONS, "the top destinations by connections",
                    DestinationTable.TYPE, true, false, false));
        }
        return new OpenMBeanInfoSupport(getClass().getName(), description,
                attributes.toArray(new OpenMBeanAttributeInfoSupport[0]), new OpenMBeanConstructorInfoSupport[0],
                new OpenMBeanOperationInfoSupport[0], new MBeanNotificationInfo[0]);
    }
}
