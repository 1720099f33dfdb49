package org.appmetrica.loader.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Slows down password guessing at the console. After {@value #FREE_FAILURES} failed logins in a row for a user name,
 * or from an address, the next attempt must wait 1 s, then 2 s, 4 s … up to 15 minutes after the last failure; such
 * an attempt is answered 429 before any hashing. A success clears both. PBKDF2 runs on at most half the processors at
 * once, so a flood of logins from many addresses cannot take the CPU from the loads.
 */
public final class LoginThrottle {

    public static final int FREE_FAILURES = 5;
    private static final Duration MAX_DELAY = Duration.ofMinutes(15);
    private static final Duration FORGET_AFTER = Duration.ofHours(1);
    private static final int MAX_TRACKED = 10_000;

    private record Failures(int count, Instant last) {
    }

    private final Clock clock;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Semaphore hashing = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long the user, or the address, must still wait before trying again; empty when they may try now. */
    public Optional<Duration> retryAfter(String user, String address) {
        Duration wait = max(waitFor("user:" + user), waitFor("address:" + address));
        return wait.isZero() ? Optional.empty() : Optional.of(wait);
    }

    public void failed(String user, String address) {
        Instant now = clock.instant();
        if (failures.size() > MAX_TRACKED) {
            failures.values().removeIf(f -> f.last().plus(FORGET_AFTER).isBefore(now));
        }
        for (String key : new String[] {"user:" + user, "address:" + address}) {
            failures.merge(key, new Failures(1, now), (old, one) -> new Failures(old.count() + 1, now));
        }
    }

    public void succeeded(String user, String address) {
        failures.remove("user:" + user);
        failures.remove("address:" + address);
    }

    /** Runs a password check when a hashing slot frees within 2 s; otherwise false, as if busy. */
    public boolean hashingSlot() throws InterruptedException {
        return hashing.tryAcquire(2, TimeUnit.SECONDS);
    }

    public void releaseHashingSlot() {
        hashing.release();
    }

    private Duration waitFor(String key) {
        Failures f = failures.get(key);
        if (f == null || f.count() < FREE_FAILURES) {
            return Duration.ZERO;
        }
        if (f.last().plus(FORGET_AFTER).isBefore(clock.instant())) {
            failures.remove(key, f);
            return Duration.ZERO;
        }
        Duration delay = Duration.ofSeconds(1L << Math.min(20, f.count() - FREE_FAILURES));
        delay = delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
        Duration left = Duration.between(clock.instant(), f.last().plus(delay));
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
