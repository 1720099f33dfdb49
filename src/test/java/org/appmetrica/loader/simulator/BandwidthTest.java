package org.appmetrica.loader.simulator;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BandwidthTest {

    @Test
    void ratesAreReadInDecimalUnitsOfBitsOrBytes() {
        assertEquals(12_500_000, Bandwidth.parse("100mbit").bytesPerSecond(), 1e-6);
        assertEquals(12_500_000, Bandwidth.parse("12.5MB").bytesPerSecond(), 1e-6);
        assertEquals(100_000, Bandwidth.parse("800kbit/s").bytesPerSecond(), 1e-6);
        assertEquals(1_000, Bandwidth.parse("1000").bytesPerSecond(), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> Bandwidth.parse("fast"));
        assertThrows(IllegalArgumentException.class, () -> Bandwidth.parse("0mbit"));
    }

    @Test
    void lateWakeUpsAreCaughtUpSoTheLinkKeepsItsRate() throws Exception {
        long[] now = {1_000_000_000L};
        // every sleep wakes up 1 ms late, as on a busy machine
        Bandwidth link = new Bandwidth(16_384_000, () -> now[0], nanos -> now[0] += nanos + 1_000_000);
        long start = now[0];
        for (int i = 0; i < 1000; i++) { // 16.384 MB at 16.384 MB/s: one second
            link.take(16_384);
        }
        double seconds = (now[0] - start) / 1e9;
        assertTrue(seconds >= 1.0 - Bandwidth.CREDIT_NANOS / 1e9 && seconds <= 1.0 + 0.002,
                "16.384 MB at 16.384 MB/s took " + seconds + " s of the link's time");
    }
}
