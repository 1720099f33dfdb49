package org.appmetrica.loader.testing;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Polls a state until it holds, for states nothing signals (a status over HTTP, a line in a process's output). Fails
 * after the deadline with the description and the last value seen. Never a way to wait for time to pass.
 */
public final class Await {

    private static final Duration PAUSE = Duration.ofMillis(100);

    /** A value read anew on each poll; it may throw to end the wait early (a process that died). */
    @FunctionalInterface
    public interface Probe<T> {
        T read() throws Exception;
    }

    /** What was awaited, for the failure message; it may read a file or a process's output, hence may throw. */
    @FunctionalInterface
    public interface Description {
        String text() throws Exception;
    }

    private Await() {
    }

    /** The first value that passes {@code done}. */
    public static <T> T await(Probe<T> probe, Predicate<? super T> done, Duration deadline, Description description)
            throws Exception {
        return await(probe, done, deadline, PAUSE, description);
    }

    /** As above, with a shorter pause between reads: for a state that lasts only a moment (rows staged, not yet committed). */
    public static <T> T await(Probe<T> probe, Predicate<? super T> done, Duration deadline, Duration pause, Description description)
            throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            T value = probe.read();
            if (done.test(value)) {
                return value;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError(describe(description) + " (not within " + deadline.toSeconds() + " s; last: " + value + ")");
            }
            Thread.sleep(pause.toMillis()); // the pause between two reads of a state, not a wait for an event
        }
    }

    /** Until {@code condition} holds. */
    public static void await(Probe<Boolean> condition, Duration deadline, Description description) throws Exception {
        await(condition, Boolean::booleanValue, deadline, description);
    }

    private static String describe(Description description) {
        try {
            return description.text();
        } catch (Exception e) {
            return "(the description could not be read: " + e + ")";
        }
    }
}
