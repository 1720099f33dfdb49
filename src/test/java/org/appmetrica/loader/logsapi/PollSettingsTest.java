package org.appmetrica.loader.logsapi;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The waits while the API answers 202: short first, doubling up to pollIntervalSeconds, never above it. */
class PollSettingsTest {

    private static List<Long> waitsMillis(int intervalSeconds, int polls) {
        PollSettings s = new PollSettings(Duration.ofSeconds(intervalSeconds), Duration.ofMinutes(30), Duration.ofSeconds(60), 3,
                Duration.ofSeconds(1));
        return IntStream.rangeClosed(1, polls).mapToObj(n -> s.pollWait(n).toMillis()).toList();
    }

    @Test
    void theDefaultIntervalIsReachedAfterFourShorterWaits() {
        assertEquals(List.of(1_000L, 2_000L, 4_000L, 8_000L, 10_000L, 10_000L), waitsMillis(10, 6));
    }

    @Test
    void aShortIntervalIsNeverExceededAndZeroMeansNoWait() {
        assertEquals(List.of(1_000L, 1_000L, 1_000L), waitsMillis(1, 3));
        assertEquals(List.of(1_000L, 2_000L, 3_000L, 3_000L), waitsMillis(3, 4));
        assertEquals(List.of(0L, 0L), waitsMillis(0, 2));
    }

    @Test
    void aLongWaitDoesNotOverflow() {
        assertEquals(3_600_000L, waitsMillis(3600, 200).get(199));
    }
}
