package org.appmetrica.loader.simulator;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
