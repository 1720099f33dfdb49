package org.appmetrica.loader.coordination;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * One operating-system process: host, pid and the time it started. The start time tells a live process apart from a
 * later one that got the same pid. Encoded as {@code host|pid|startMillis} in the coordination tables.
 */
public record ProcessIdentity(String host, long pid, long startedMillis) {

    /** Start times read twice through /proc may differ by a clock tick; a later process with the same pid cannot be this close. */
    private static final long START_TOLERANCE_MILLIS = 1000;
    private static volatile ProcessIdentity CURRENT = new ProcessIdentity(localHost(), ProcessHandle.current().pid(),
            ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(0L));

    public static ProcessIdentity current() {
        return CURRENT;
    }

    /**
     * Names this process's host ({@code --host-id}) instead of the machine's name, before any execution is recorded: two
     * loaders with distinct host ids treat each other as other hosts (only heartbeats vouch for them), even on one machine.
     */
    public static void useHost(String hostId) {
        if (hostId == null || hostId.isBlank() || hostId.contains("|") || hostId.length() > 200) {
            throw new IllegalArgumentException("--host-id '" + hostId + "': expected a name of up to 200 characters without '|'");
        }
        ProcessIdentity c = CURRENT;
        CURRENT = new ProcessIdentity(hostId.strip(), c.pid, c.startedMillis);
    }

    public String encode() {
        return host + "|" + pid + "|" + startedMillis;
    }

    public static ProcessIdentity decode(String text) {
        int a = text.lastIndexOf('|');
        int b = text.lastIndexOf('|', a - 1);
        if (a < 0 || b < 0) {
            throw new IllegalArgumentException("not a process identity: " + text);
        }
        return new ProcessIdentity(text.substring(0, b), Long.parseLong(text.substring(b + 1, a)), Long.parseLong(text.substring(a + 1)));
    }

    public boolean isLocal() {
        return host.equals(CURRENT.host);
    }

    /**
     * Whether this process still runs, as the operating system says: empty for a process of another host, which only
     * its heartbeat can vouch for. A process whose start time cannot be read counts as alive (never declare a live
     * process dead).
     */
    public Optional<Boolean> aliveOnThisHost() {
        if (!isLocal()) {
            return Optional.empty();
        }
        return Optional.of(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(p -> p.info().startInstant().map(s -> Math.abs(s.toEpochMilli() - startedMillis) <= START_TOLERANCE_MILLIS).orElse(true))
                .orElse(false));
    }

    @Override
    public String toString() {
        return "pid " + pid + " on " + host;
    }

    private static String localHost() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: ask the resolver below
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
