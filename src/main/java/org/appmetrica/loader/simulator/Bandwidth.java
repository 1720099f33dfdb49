package org.appmetrica.loader.simulator;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A link's bandwidth shared by every export the simulator sends (a token bucket without burst): what the benchmark
 * needs to compare compressed and plain transfer over a realistic link instead of loopback.
 */
public final class Bandwidth {

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(k|m|g)?(bit|b)?(?:/s)?");

    /**
     * Credit a late sender may catch up on: a sleep wakes up late (by a fraction of a millisecond to a few on a busy
     * machine), and without credit every late wake-up would be lost, pacing below the link's rate (1.67 × too slow
     * at 100 Mbit/s in 16 KiB steps). A real link's buffers give the same slack.
     */
    static final long CREDIT_NANOS = 50_000_000L;

    /** Waits the given nanoseconds (pacing, not synchronisation). */
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final double bytesPerSecond;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private long nextFree = Long.MIN_VALUE;

    public Bandwidth(double bytesPerSecond) {
        this(bytesPerSecond, System::nanoTime, nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
    }

    Bandwidth(double bytesPerSecond, LongSupplier clock, Sleeper sleeper) {
        if (!(bytesPerSecond > 0)) {
            throw new IllegalArgumentException("bandwidth must be positive");
        }
        this.bytesPerSecond = bytesPerSecond;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** {@code 100mbit}, {@code 12.5MB}, {@code 800kbit} (decimal units, as links are sold); bytes per second. */
    public static Bandwidth parse(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("bandwidth '" + text + "': expected a rate like 100mbit or 12MB");
        }
        double value = Double.parseDouble(m.group(1));
        double unit = m.group(2) == null ? 1 : switch (m.group(2)) {
            case "k" -> 1e3;
            case "m" -> 1e6;
            default -> 1e9;
        };
        boolean bits = "bit".equals(m.group(3));
        return new Bandwidth(value * unit / (bits ? 8 : 1));
    }

    public double bytesPerSecond() {
        return bytesPerSecond;
    }

    /** Waits until {@code bytes} more may leave (pacing, not synchronisation). */
    void take(int bytes) throws InterruptedIOException {
        long wait;
        synchronized (this) {
            long now = clock.getAsLong();
            long start = nextFree == Long.MIN_VALUE ? now : Math.max(now - CREDIT_NANOS, nextFree);
            nextFree = start + (long) (bytes * 1e9 / bytesPerSecond);
            wait = nextFree - now;
        }
        if (wait > 0) {
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            }
        }
    }

    /** {@code out} paced to this bandwidth. */
    OutputStream limit(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                for (int i = off; i < off + len; i += 16384) {
                    int n = Math.min(16384, off + len - i);
                    take(n);
                    out.write(b, i, n);
                }
            }

            @Override
            public void write(int b) throws IOException {
                take(1);
                out.write(b);
            }
        };
    }
}
