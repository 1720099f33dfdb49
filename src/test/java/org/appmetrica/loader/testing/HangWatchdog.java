package org.appmetrica.loader.testing;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Ends a test JVM in which nothing started or finished for {@code test.hang.minutes} (set per plugin in the pom): it
 * prints the tests still running and every thread's stack, to the console and to {@code target/test-hang-*.txt}, then
 * halts, so that the build fails at once, naming the hang. A deadlock once held CI until its limit: JUnit's timeout
 * interrupts the test, but a thread that ignores the interrupt (a join in a tearDown) went on holding the fork, and
 * surefire's own fork timeout did not end it.
 */
public final class HangWatchdog implements TestExecutionListener {

    private final Map<String, Instant> running = new ConcurrentHashMap<>();
    private volatile long lastEvent = System.nanoTime();

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        long minutes = Long.getLong("test.hang.minutes", 0);
        if (minutes <= 0) {
            return;
        }
        Thread watch = new Thread(() -> watch(TimeUnit.MINUTES.toNanos(minutes)), "test-hang-watchdog");
        watch.setDaemon(true);
        watch.start();
    }

    @Override
    public void executionStarted(TestIdentifier test) {
        lastEvent = System.nanoTime();
        running.put(test.getUniqueId(), Instant.now());
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        lastEvent = System.nanoTime();
        running.remove(test.getUniqueId());
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        lastEvent = System.nanoTime();
    }

    private void watch(long limitNanos) {
        while (true) {
            try {
                Thread.sleep(5_000); // a check interval, not a synchronisation
            } catch (InterruptedException e) {
                return;
            }
            if (System.nanoTime() - lastEvent > limitNanos) {
                report(TimeUnit.NANOSECONDS.toMinutes(limitNanos));
                Runtime.getRuntime().halt(97);
            }
        }
    }

    private void report(long minutes) {
        StringBuilder text = new StringBuilder("\n*** HANG: no test started or finished for " + minutes + " min; still running:\n");
        running.forEach((id, since) -> text.append("  ").append(id).append(" (since ").append(since).append(")\n"));
        text.append("*** thread dump:\n");
        for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            text.append('"').append(thread.getThreadName()).append("\" ").append(thread.getThreadState());
            if (thread.getLockName() != null) {
                text.append(" on ").append(thread.getLockName());
            }
            if (thread.getLockOwnerName() != null) {
                text.append(" owned by \"").append(thread.getLockOwnerName()).append('"');
            }
            text.append('\n');
            for (StackTraceElement frame : thread.getStackTrace()) { // ThreadInfo.toString cuts stacks at 8 frames
                text.append("\tat ").append(frame).append('\n');
            }
        }
        try {
            Path file = Path.of("target", "test-hang-" + ProcessHandle.current().pid() + ".txt");
            Files.writeString(file, text, StandardCharsets.UTF_8);
            text.append("*** also in ").append(file.toAbsolutePath()).append('\n');
        } catch (IOException e) {
            text.append("*** (not written to target: ").append(e).append(")\n");
        }
        PrintStream err = System.err;
        err.print(text);
        err.flush();
        try {
            Thread.sleep(2_000); // lets the build tool's stream thread forward the report before the halt
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
