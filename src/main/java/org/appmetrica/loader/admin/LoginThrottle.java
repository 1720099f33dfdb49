package org.appmetrica.loader.admin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Slows down password guessing at the console. Every attempt is counted before its password is hashed (one lock for
 * all counts, so 60 logins at once for one user still get {@value #FREE_FAILURES} tries), under three keys: the user
 * from the caller's address range, the address range for any user, and the user from anywhere. After
 * {@value #FREE_FAILURES} attempts of a user from a range, or from a range, or {@value #USER_CEILING} of a user from
 * all ranges, the next must wait 1 s, then 2 s, 4 s … up to 15 minutes after the last one ended; it is answered 429
 * before any hashing. An attempt refused as busy (no hashing slot) counts too: a flood gets no extra tries. So a stranger's failures lock out neither the owner's range nor, below the ceiling, the user. A range is an
 * IPv4 /24, an IPv6 /64, and all of loopback: another address of the same range gets no fresh budget. A success clears
 * its user's count in its range and the range's. Names in keys are cut to {@value #MAX_NAME} characters and at most
 * {@value #MAX_TRACKED} keys are kept (the oldest go first), so strangers cannot fill the memory. PBKDF2 runs on at
 * most half the processors at once, so a flood of logins cannot take the CPU from the loads.
 */
public final class LoginThrottle {

    public static final int FREE_FAILURES = 5;
    /** Attempts for one user from all ranges before each further one waits, so many ranges still guess slowly. */
    public static final int USER_CEILING = 50;
    public static final int MAX_NAME = 64;
    static final int MAX_TRACKED = 10_000;
    private static final Duration MAX_DELAY = Duration.ofMinutes(15);
    private static final Duration FORGET_AFTER = Duration.ofHours(1);
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

    private record Failures(int count, Instant last) {
    }

    private final Clock clock;
    /** In order of last change: the eldest is evicted first. Guarded by this. */
    private final LinkedHashMap<String, Failures> failures = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > MAX_TRACKED;
        }
    };
    private final Semaphore hashing = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /**
     * An attempt to log in: empty when it may go on, counted already (as a failure until {@link #succeeded}); else how
     * long the caller must still wait, and nothing is counted.
     */
    public synchronized Optional<Duration> attempt(String user, String address) {
        String range = range(address);
        String[] keys = keys(user, range);
        Duration wait = max(max(waitFor(keys[0], FREE_FAILURES), waitFor(keys[1], FREE_FAILURES)), waitFor(keys[2], USER_CEILING));
        if (!wait.isZero()) {
            return Optional.of(wait);
        }
        Instant now = clock.instant();
        for (String key : keys) {
            Failures old = failures.remove(key);
            failures.put(key, new Failures(old == null ? 1 : old.count() + 1, now));
        }
        return Optional.empty();
    }

    /** The password matched: the user's count in this range and the range's count start again. */
    public synchronized void succeeded(String user, String address) {
        String[] keys = keys(user, range(address));
        failures.remove(keys[0]);
        failures.remove(keys[1]);
        undo(keys[2]);
    }

    /**
     * The password did not match: the wait before the next attempt counts from now, the end of the check, so that
     * slow checks of a burst leave no gap for more attempts.
     */
    public synchronized void failed(String user, String address) {
        Instant now = clock.instant();
        for (String key : keys(user, range(address))) {
            Failures f = failures.remove(key);
            failures.put(key, new Failures(f == null ? 1 : f.count(), now));
        }
    }

    /** Runs a password check when a hashing slot frees within 2 s; otherwise false, as if busy. */
    public boolean hashingSlot() throws InterruptedException {
        return hashing.tryAcquire(2, TimeUnit.SECONDS);
    }

    public void releaseHashingSlot() {
        hashing.release();
    }

    synchronized int tracked() {
        return failures.size();
    }

    synchronized int longestKey() {
        return failures.keySet().stream().mapToInt(String::length).max().orElse(0);
    }

    /** A user name as log lines and keys carry it: at most {@value #MAX_NAME} characters. */
    public static String shown(String user) {
        return user.length() <= MAX_NAME ? user : user.substring(0, MAX_NAME) + "…";
    }

    /** The address range a client address belongs to: IPv4 /24, IPv6 /64, all of loopback as one. */
    static String range(String address) {
        if (address == null || !IP_LITERAL.matcher(address).matches()) {
            return "other:" + shown(String.valueOf(address));
        }
        try {
            InetAddress a = InetAddress.getByName(address); // a literal: no name lookup
            byte[] b = a.getAddress();
            if (a.isLoopbackAddress()) {
                return "loopback";
            }
            if (b.length == 4) {
                return (b[0] & 255) + "." + (b[1] & 255) + "." + (b[2] & 255) + ".0/24";
            }
            return HexFormat.of().formatHex(b, 0, 8) + "::/64";
        } catch (UnknownHostException e) {
            return "other:" + shown(address);
        }
    }

    private static String[] keys(String user, String range) {
        String name = shown(user);
        return new String[] {"pair:" + range + " " + name, "range:" + range, "user:" + name};
    }

    private void undo(String key) {
        Failures f = failures.get(key);
        if (f != null) {
            if (f.count() <= 1) {
                failures.remove(key);
            } else {
                failures.put(key, new Failures(f.count() - 1, f.last()));
            }
        }
    }

    private Duration waitFor(String key, int free) {
        Failures f = failures.get(key);
        if (f == null) {
            return Duration.ZERO;
        }
        if (f.last().plus(FORGET_AFTER).isBefore(clock.instant())) {
            failures.remove(key);
            return Duration.ZERO;
        }
        if (f.count() < free) {
            return Duration.ZERO;
        }
        Duration delay = Duration.ofSeconds(1L << Math.min(20, f.count() - free));
        delay = delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
        Duration left = Duration.between(clock.instant(), f.last().plus(delay));
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
