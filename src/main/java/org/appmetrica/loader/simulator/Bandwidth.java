package org.appmetrica.loader.simulator;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A link's bandwidth shared by every export the simulator sends (a token bucket without burst): what the benchmark
 * needs to compare compressed and plain transfer over a realistic link instead of loopback.
 */
public final class Bandwidth {

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(k|m|g)?(bit|b)?(?:/s)?");

    private final double bytesPerSecond;
    private long nextFree;

    public Bandwidth(double bytesPerSecond) {
        if (!(bytesPerSecond > 0)) {
            throw new IllegalArgumentException("bandwidth must be positive");
        }
        this.bytesPerSecond = bytesPerSecond;
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
            long now = System.nanoTime();
            long start = Math.max(now, nextFree);
            nextFree = start + (long) (bytes * 1e9 / bytesPerSecond);
            wait = nextFree - now;
        }
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
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
