package org.appmetrica.loader.coordination;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Finds executions the repository still calls STARTING, STARTED or STOPPING although the process that ran them is
 * gone (killed, out of memory, a reboot), and marks them FAILED with an exit status that says so. From FAILED they
 * restart like any failed execution: from their checkpoints, keeping the spool and the staged rows. An execution whose
 * process runs is never touched.
 */
public final class CrashedExecutions {

    public static final String EXIT_STATUS_PREFIX = "CRASHED: ";
    /**
     * An unfinished execution with no owner was started by a loader version without owner records, or through the
     * application server's own operations and still waits for a batch thread: it counts as crashed only once the
     * repository has not heard of it for this long.
     */
    static final Duration ORPHAN_AGE = Duration.ofMinutes(10);
    private static final Logger LOG = Logger.getLogger("org.appmetrica.loader.progress");

    private CrashedExecutions() {
    }

    /** Marks every crashed execution FAILED; returns their ids. */
    public static List<Long> reconcile() {
        CoordinationStore store = Coordination.store();
        Instant now = Instant.now();
        List<Long> marked = new ArrayList<>();
        for (CoordinationStore.UnfinishedExecution e : store.unfinishedExecutions()) {
            Optional<ProcessIdentity> owner = store.owner(e.executionId()).or(e::starter);
            String reason;
            if (owner.isPresent()) {
                if (owner.get().equals(ProcessIdentity.current()) || Coordination.isAlive(owner.get(), e.lastUpdated())) {
                    continue;
                }
                reason = "the process that ran it (" + owner.get() + ") ended without finishing it";
            } else if (e.lastUpdated().isBefore(now.minus(ORPHAN_AGE))) {
                reason = "no process has claimed it since " + e.lastUpdated().truncatedTo(ChronoUnit.SECONDS);
            } else {
                continue;
            }
            Instant noticed = Instant.now(); // after the liveness check: the end time is never before the owner counted as gone
            String exitStatus = EXIT_STATUS_PREFIX + reason + "; noticed " + noticed.truncatedTo(ChronoUnit.SECONDS)
                    + ". Restart it to continue from its checkpoints";
            if (store.markCrashed(e.executionId(), exitStatus, noticed)) {
                LOG.info("execution " + e.executionId() + " was " + e.status() + " but " + reason + ": marked FAILED (crashed)");
                marked.add(e.executionId());
            }
        }
        return marked;
    }

    public static boolean isCrashExitStatus(String exitStatus) {
        return exitStatus != null && exitStatus.startsWith(EXIT_STATUS_PREFIX);
    }
}
