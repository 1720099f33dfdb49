package org.appmetrica.loader.config;

import java.lang.management.ManagementFactory;

/**
 * With {@code -Dappmetrica.timeline=true}, one line on standard error per step of a run (JVM start, repository,
 * checks, tables, each API answer, first and last byte, publish, summary, exit), in milliseconds since the JVM
 * started: where the seconds of a short run go (docs/performance.md). Off by default.
 */
public final class Timeline {

    private static final boolean ON = Boolean.getBoolean("appmetrica.timeline");
    /** The JVM's own start time (the process's, from /proc, is only to the second). */
    private static final long START = ON ? ManagementFactory.getRuntimeMXBean().getStartTime() : 0;

    private Timeline() {
    }

    public static boolean on() {
        return ON;
    }

    /** When the JVM started, in ms since the epoch (to line a run's timeline up with what ran beside it). */
    public static long jvmStart() {
        return START;
    }

    public static void mark(String step) {
        if (ON) {
            System.err.println("timeline " + (System.currentTimeMillis() - START) + " ms [" + Thread.currentThread().getName() + "] " + step);
        }
    }
}
