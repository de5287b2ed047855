package org.seglight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The spare-heap policy every entry point applies: G1 keeps 10-30 % free instead of 40-70 %. */
class HeapPolicyTest {

    @Test
    void theRatiosAreSetUnlessTheCommandLineChoseThem() {
        HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        boolean given = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.contains("HeapFreeRatio"));
        String set = HeapPolicy.apply();
        if (given) {
            assertThat(set).isEmpty();
        } else {
            assertThat(hs.getVMOption(HeapPolicy.MIN_FREE).getValue()).isEqualTo("10");
            assertThat(hs.getVMOption(HeapPolicy.MAX_FREE).getValue()).isEqualTo("30");
            assertThat(HeapPolicy.describe()).isEqualTo("10-30 % of the heap kept free");
            assertThat(HeapPolicy.apply()).as("applied twice, it leaves its own values").isEmpty();
        }
    }
}
