package io.tfoagent.runtime.jmx;

import io.tfoagent.core.client.DestinationView;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;

/** The destination view as JMX open data, one row per destination, and back (for {@code status PID}). */
public final class DestinationTable {
    private static final String[] ITEMS = {"Destination", "Connections", "SavedRoundTrip", "PercentSaved",
        "MainMiss", "MainMissCount", "Standing"};
    private static final OpenType<?>[] TYPES = {SimpleType.STRING, SimpleType.LONG, SimpleType.LONG,
        SimpleType.LONG, SimpleType.STRING, SimpleType.LONG, SimpleType.STRING};
    static final TabularType TYPE = type();

    private DestinationTable() {}

    private static TabularType type() {
        try {
            CompositeType row = new CompositeType("io.tfoagent.Destination",
                    "a destination's connections and why some saved no round trip", ITEMS,
                    new String[] {"address:port", "connections the agent looked at", "of them, SYN data acked",
                        "SavedRoundTrip of Connections, whole percent", "the most frequent reason for a miss, or empty",
                        "connections missed for it", "backoff state, or empty when healthy"}, TYPES);
            return new TabularType("io.tfoagent.Destinations", "the top destinations by connections", row,
                    new String[] {"Destination"});
        } catch (OpenDataException e) {
            throw new IllegalStateException(e); // constant types: cannot happen
        }
    }

    static TabularData of(List<DestinationView.Row> rows) {
        TabularDataSupport table = new TabularDataSupport(TYPE);
        try {
            for (DestinationView.Row r : rows) {
                table.put(new CompositeDataSupport(TYPE.getRowType(), ITEMS, new Object[] {r.destination(),
                    r.connections(), r.saved(), r.percentSaved(), r.mainMiss() == null ? "" : r.mainMiss(),
                    r.mainMissCount(), r.standing() == null ? "" : r.standing()}));
            }
        } catch (OpenDataException e) {
            throw new IllegalStateException(e); // values of the row type's own types: cannot happen
        }
        return table;
    }

    /** The rows of a table read over JMX, most connections first. */
    public static List<DestinationView.Row> rows(TabularData table) {
        List<DestinationView.Row> rows = new ArrayList<>();
        for (Object value : (Collection<?>) table.values()) {
            CompositeData d = (CompositeData) value;
            String miss = (String) d.get("MainMiss");
            String standing = (String) d.get("Standing");
            rows.add(new DestinationView.Row((String) d.get("Destination"), (Long) d.get("Connections"),
                    (Long) d.get("SavedRoundTrip"), miss.isEmpty() ? null : miss, (Long) d.get("MainMissCount"),
                    standing.isEmpty() ? null : standing));
        }
        rows.sort(Comparator.comparingLong(DestinationView.Row::connections).reversed()
                .thenComparing(DestinationView.Row::destination));
        return rows;
    }
}
