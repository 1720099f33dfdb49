package org.appmetrica.loader.admin;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    private void fail(String user, String address) {
        assertEquals(Optional.empty(), throttle.attempt(user, address), user + " from " + address + " may try");
    }

    @Test
    void backsOffPerUserInARangeAndPerRangeAfterFiveAttempts() {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            fail("alice", "10.0.0.1");
        }
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.attempt("alice", "10.0.0.1"));
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.attempt("alice", "10.0.0.77"), "the same /24 gets no fresh budget");
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.attempt("bob", "10.0.0.1"), "the range, for any user");
        assertEquals(Optional.empty(), throttle.attempt("alice", "10.0.1.1"), "a stranger's failures do not lock the user out elsewhere");
        throttle.succeeded("alice", "10.0.1.1");

        now = now.plusSeconds(1);
        fail("alice", "10.0.0.1");
        assertEquals(Optional.of(Duration.ofSeconds(2)), throttle.attempt("alice", "10.0.0.1"), "doubles");
        for (int i = 0; i < 20; i++) {
            now = now.plus(Duration.ofMinutes(15));
            fail("alice", "10.0.0.1");
        }
        assertEquals(Optional.of(Duration.ofMinutes(15)), throttle.attempt("alice", "10.0.0.1"), "at most 15 minutes");
        now = now.plus(Duration.ofMinutes(15));
        assertEquals(Optional.empty(), throttle.attempt("alice", "10.0.0.1"));
        throttle.succeeded("alice", "10.0.0.1");
        fail("alice", "10.0.0.1");
        assertEquals(Optional.empty(), throttle.attempt("alice", "10.0.0.1"), "a success starts the count again");
    }

    @Test
    void everyLoopbackAddressIsOneRange() {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            fail("user-" + i, "127.0.2." + i);
        }
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.attempt("someone-else", "127.0.3.9"));
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.attempt("someone-else", "::1"));
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            fail("user-" + i, "2001:db8:1:2::" + i);
        }
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.attempt("x", "2001:db8:1:2:ffff::1"), "an IPv6 /64 is one range");
        assertEquals(Optional.empty(), throttle.attempt("x", "2001:db8:1:3::1"));
    }

    @Test
    void manyRangesStillMeetTheUsersCeiling() {
        for (int i = 0; i < LoginThrottle.USER_CEILING; i++) {
            fail("admin", "10.0." + i + ".1");
        }
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.attempt("admin", "10.9.9.9"));
        assertEquals(Optional.empty(), throttle.attempt("other", "10.9.9.9"));
    }

    @Test
    void theWaitCountsFromTheEndOfTheLastCheck() {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            fail("alice", "10.0.0.1");
        }
        now = now.plusSeconds(3); // a slow password check
        throttle.failed("alice", "10.0.0.1");
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.attempt("alice", "10.0.0.1"));
    }

    @Test
    void hugeNamesAndManyStrangersTakeBoundedMemory() {
        String huge = "u".repeat(1 << 20);
        for (int i = 0; i < 150; i++) {
            throttle.attempt(huge + i, "127.0.2." + i);
            throttle.attempt(huge + i, "10." + i + ".0.1");
        }
        assertTrue(throttle.longestKey() <= 100, "keys carry at most 64 characters of a name: " + throttle.longestKey());
        for (int i = 0; i < 3 * LoginThrottle.MAX_TRACKED; i++) {
            throttle.attempt("user-" + i, (11 + (i >> 16)) + "." + (i >> 8 & 255) + "." + (i & 255) + ".1");
        }
        assertEquals(LoginThrottle.MAX_TRACKED, throttle.tracked(), "the oldest keys go");
        assertEquals(64 + 1, LoginThrottle.shown(huge).length());
    }
}
