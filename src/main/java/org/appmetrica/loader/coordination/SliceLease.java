package org.appmetrica.loader.coordination;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The right to load one slice (ClickHouse database × source × application × day): while an execution holds it, no
 * other execution empties, trims, fills or publishes that slice's staging partition. A lease is held by an execution
 * and its process; it dies with either (an ended execution, a process that is gone), so a restart after a crash takes
 * it back. The stage epoch names the staging partition's content: a holder whose checkpoints carry another epoch must
 * not trust them, because someone emptied the partition since.
 */
public final class SliceLease {

    /** Another execution holds the slice and did not let go within the wait allowed. */
    public static final class BusyException extends Exception {
        private static final long serialVersionUID = 1L;

        BusyException(String message) {
            super(message);
        }
    }

    /** A stop was requested while waiting. */
    public static final class StoppedWaiting extends Exception {
        private static final long serialVersionUID = 1L;

        StoppedWaiting() {
            super("stop requested while waiting for the slice");
        }
    }

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(30);

    private final CoordinationStore store;
    private final String key;
    private final long executionId;
    private final long previousInstanceId;
    private volatile LeaseRecord record;

    private SliceLease(CoordinationStore store, LeaseRecord record, long previousInstanceId) {
        this.store = store;
        this.key = record.key();
        this.executionId = record.executionId();
        this.previousInstanceId = previousInstanceId;
        this.record = record;
    }

    public static String key(String database, String source, long applicationId, String day) {
        return database + "/" + source + "/" + applicationId + "/" + day;
    }

    /**
     * Takes the lease, waiting while a live execution holds it: {@code waiting} receives a line naming that execution
     * at once and then every 30 s. Fails with {@link BusyException} after {@code maxWait}.
     */
    public static SliceLease acquire(String key, long executionId, long instanceId, Duration maxWait, BooleanSupplier stop,
                                     Consumer<String> waiting, Clock clock) throws BusyException, StoppedWaiting, InterruptedException {
        CoordinationStore store = Coordination.store();
        Instant start = clock.instant();
        Instant nextReport = start;
        while (true) {
            Optional<SliceLease> taken = tryAcquire(store, key, executionId, instanceId, clock);
            if (taken.isPresent()) {
                return taken.get();
            }
            LeaseRecord holder = store.lease(key).orElse(null);
            if (holder == null) {
                continue; // released and removed in between: try again at once
            }
            Duration waited = Duration.between(start, clock.instant());
            String who = "execution " + holder.executionId() + " (" + holder.holderProcess() + ")";
            if (waited.compareTo(maxWait) >= 0) {
                throw new BusyException(who + " is loading this slice and did not finish within " + maxWait.toSeconds()
                        + " s (leaseWaitSeconds); nothing of it was changed by this execution. Restart this execution once "
                        + holder.executionId() + " has ended");
            }
            if (stop.getAsBoolean()) {
                throw new StoppedWaiting();
            }
            if (!clock.instant().isBefore(nextReport)) {
                waiting.accept("waiting for " + who + ", which is loading this slice (" + waited.toSeconds() + " s of at most "
                        + maxWait.toSeconds() + " s)");
                nextReport = clock.instant().plus(REPORT_EVERY);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** Takes the lease if it is free, or held by an execution or process that is gone; never waits. */
    public static Optional<SliceLease> tryAcquire(String key, long executionId, long instanceId) {
        return tryAcquire(Coordination.store(), key, executionId, instanceId, Clock.systemUTC());
    }

    private static Optional<SliceLease> tryAcquire(CoordinationStore store, String key, long executionId, long instanceId, Clock clock) {
        ProcessIdentity me = ProcessIdentity.current();
        while (true) {
            Optional<LeaseRecord> current = store.lease(key);
            if (current.isEmpty()) {
                LeaseRecord fresh = new LeaseRecord(key, 1, true, executionId, instanceId, me.encode(), newEpoch(), clock.instant());
                if (store.insertLease(fresh)) {
                    return Optional.of(new SliceLease(store, fresh, -1));
                }
                continue;
            }
            LeaseRecord r = current.get();
            boolean free = !r.held() || r.executionId() == executionId || !holderAlive(r);
            if (!free) {
                return Optional.empty();
            }
            LeaseRecord next = r.takenBy(executionId, instanceId, me, clock.instant());
            if (store.replaceLease(r.version(), next)) {
                return Optional.of(new SliceLease(store, next, r.instanceId()));
            }
        }
    }

    /** A holder lives while its execution is unfinished and its process runs. */
    static boolean holderAlive(LeaseRecord r) {
        return Coordination.unfinished(r.executionId()) && Coordination.isAlive(r.holderProcess());
    }

    public String key() {
        return key;
    }

    /** The content of the staging partition as of taking the lease (or of the last {@link #renewStageEpoch()}). */
    public String stageEpoch() {
        return record.stageEpoch();
    }

    /** The job instance that held the lease before this one took it (its staged rows are there); -1 when the lease is new. */
    public long previousInstanceId() {
        return previousInstanceId;
    }

    /**
     * Call before emptying the staging partition: from now on no checkpoint written before describes it. Written first,
     * so a crash between this and the emptying still leaves the old checkpoints untrusted.
     */
    public void renewStageEpoch() {
        LeaseRecord next = requireHeld().withStageEpoch(newEpoch());
        if (!replace(record.version(), next)) {
            throw lost();
        }
        record = next;
    }

    /** Throws unless this execution still holds the lease: the fence before publishing. */
    public void verifyHeld() {
        requireHeld();
    }

    private LeaseRecord requireHeld() {
        LeaseRecord now = store.lease(key).orElseThrow(this::lost);
        if (!now.held() || now.executionId() != executionId || now.version() != record.version()) {
            throw lost();
        }
        return now;
    }

    private IllegalStateException lost() {
        LeaseRecord now = store.lease(key).orElse(null);
        return new IllegalStateException("slice " + key + ": the lease of execution " + executionId + " was taken over"
                + (now == null ? "" : " by execution " + now.executionId() + " (" + now.holderProcess() + ")") + "; not touching the slice");
    }

    /** Lets go (the stage epoch stays, describing what is staged). Does nothing if the lease was taken over. */
    public void release() {
        LeaseRecord r = record;
        LeaseRecord now = store.lease(key).orElse(null);
        if (now != null && now.held() && now.executionId() == executionId && now.version() == r.version()) {
            replace(r.version(), now.released());
        }
    }

    /** The compare-and-set; "not changed" is re-checked, because the store may have run a successful UPDATE twice. */
    private boolean replace(long expectedVersion, LeaseRecord next) {
        return store.replaceLease(expectedVersion, next) || store.lease(key).filter(now -> now.version() == next.version()
                && now.held() == next.held() && now.executionId() == next.executionId() && now.stageEpoch().equals(next.stageEpoch())).isPresent();
    }

    private static String newEpoch() {
        return UUID.randomUUID().toString();
    }
}
