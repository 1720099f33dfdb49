package org.appmetrica.loader.testing;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls a state until it holds, for states nothing signals (a status over HTTP, a line in a process's output). Fails
 * after the deadline with the description and the last value seen. Never a way to wait for time to pass.
 */
public final class Await {

    private static final long PAUSE_MILLIS = 100;

    /** A value read anew on each poll; it may throw to end the wait early (a process that died). */
    @FunctionalInterface
    public interface Probe<T> {
        T read() throws Exception;
    }

    private Await() {
    }

    /** The first value that passes {@code done}. */
    public static <T> T await(Probe<T> probe, Predicate<? super T> done, Duration deadline, Supplier<String> description)
            throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            T value = probe.read();
            if (done.test(value)) {
                return value;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError(description.get() + " (not within " + deadline.toSeconds() + " s; last: " + value + ")");
            }
            Thread.sleep(PAUSE_MILLIS); // the pause between two reads of a state, not a wait for an event
        }
    }

    /** Until {@code condition} holds. */
    public static void await(Probe<Boolean> condition, Duration deadline, Supplier<String> description) throws Exception {
        await(condition, Boolean::booleanValue, deadline, description);
    }
}
