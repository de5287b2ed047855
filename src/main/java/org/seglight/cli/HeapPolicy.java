package org.seglight.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;

/**
 * How much spare heap the JVM keeps. G1's defaults keep 40 to 70 % of the heap free after a collection, which
 * for a 300-megapixel image (1.75 GB live: its pixels, labels and maps) commits another 1.2 GB that segmenting
 * then touches. Seglight keeps 10 to 30 % free instead: a few more young collections (milliseconds each), about
 * 1 GB less resident memory. Set at start by every entry point (these options are manageable at run time, so
 * {@code java -jar} gets them too); a value given on the command line is left alone.
 */
public final class HeapPolicy {

    static final String MIN_FREE = "MinHeapFreeRatio";
    static final String MAX_FREE = "MaxHeapFreeRatio";

    private HeapPolicy() {}

    /** Applies the policy; returns what it set, for logs ("" when the command line chose). */
    public static String apply() {
        try {
            HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (hs == null || given(hs, MIN_FREE) || given(hs, MAX_FREE)) {
                return "";
            }
            // Min first: it must never exceed Max (the defaults are 40 / 70).
            hs.setVMOption(MIN_FREE, "10");
            hs.setVMOption(MAX_FREE, "30");
            return MIN_FREE + "=10 " + MAX_FREE + "=30";
        } catch (RuntimeException | LinkageError e) { // another JVM, or a runtime without jdk.management
            return "";
        }
    }

    /** The spare heap in force now, e.g. "10-30 % of the heap kept free". */
    public static String describe() {
        try {
            HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hs.getVMOption(MIN_FREE).getValue() + "-" + hs.getVMOption(MAX_FREE).getValue()
                    + " % of the heap kept free";
        } catch (RuntimeException | LinkageError e) {
            return "the JVM's own heap sizing";
        }
    }

    private static boolean given(HotSpotDiagnosticMXBean hs, String name) {
        return hs.getVMOption(name).getOrigin() != VMOption.Origin.DEFAULT;
    }
}
