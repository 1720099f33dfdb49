package org.appmetrica.loader.admin;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LoginThrottleTest {

    private Instant now = Instant.parse("2026-11-28T12:00:00Z");
    private final LoginThrottle throttle = new LoginThrottle(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    @Test
    void backsOffPerUserAndPerAddressAfterFiveFailures() {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            assertEquals(Optional.empty(), throttle.retryAfter("alice", "10.0.0.1"));
            throttle.failed("alice", "10.0.0.1");
        }
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.retryAfter("alice", "10.0.0.1"));
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.retryAfter("alice", "10.0.0.2"), "the user, from anywhere");
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.retryAfter("bob", "10.0.0.1"), "the address, for any user");
        assertEquals(Optional.empty(), throttle.retryAfter("bob", "10.0.0.2"));

        now = now.plusSeconds(1);
        throttle.failed("alice", "10.0.0.1");
        assertEquals(Optional.of(Duration.ofSeconds(2)), throttle.retryAfter("alice", "10.0.0.1"), "doubles");
        for (int i = 0; i < 20; i++) {
            throttle.failed("alice", "10.0.0.1");
        }
        assertEquals(Optional.of(Duration.ofMinutes(15)), throttle.retryAfter("alice", "10.0.0.1"), "at most 15 minutes");
        now = now.plus(Duration.ofMinutes(15));
        assertEquals(Optional.empty(), throttle.retryAfter("alice", "10.0.0.1"));

        throttle.succeeded("alice", "10.0.0.1");
        throttle.failed("alice", "10.0.0.1");
        assertEquals(Optional.empty(), throttle.retryAfter("alice", "10.0.0.1"), "a success starts the count again");
    }
}
