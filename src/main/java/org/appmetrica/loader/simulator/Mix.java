package org.appmetrica.loader.simulator;

/** Stable 64-bit hashing used for every simulated value (no dependency on JDK hash codes). */
final class Mix {

    static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Mix() {
    }

    /** SplitMix64 finalizer: a bijective, well-spread 64-bit mix. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** FNV-1a over the UTF-16 units of the text, then mixed. */
    static long hash(String s) {
        long h = 0xCBF29CE484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001B3L;
        }
        return mix(h);
    }

    /** Uniform int in [0, n) from the value bits of r. */
    static int below(long r, int n) {
        return (int) ((r >>> 1) % n);
    }

    /** Uniform long in [0, n) from the value bits of r. */
    static long belowLong(long r, long n) {
        return (r >>> 1) % n;
    }

    /** Percentile 0..99 drawn from the top bits of r (independent enough of {@link #below}). */
    static int percent(long r) {
        return (int) ((r >>> 40) % 100);
    }
}
