package org.appmetrica.loader.coordination;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where executions record their owning process and slices are leased: tables in the job repository's database, so
 * that every process sharing the repository (CLI runs, the console, schedules, an application server) sees them.
 */
public interface CoordinationStore {

    /**
     * An execution the repository says is STARTING, STARTED or STOPPING; {@code starter} is the process named by its
     * {@link Coordination#OWNER_PARAMETER} job parameter, if any.
     */
    record UnfinishedExecution(long executionId, String status, Instant lastUpdated, Optional<ProcessIdentity> starter) {
    }

    void recordOwner(long executionId, ProcessIdentity owner);

    Optional<ProcessIdentity> owner(long executionId);

    void heartbeat(ProcessIdentity process, Instant now);

    Optional<Instant> lastHeartbeat(ProcessIdentity process);

    List<UnfinishedExecution> unfinishedExecutions();

    /** The repository's batch status of an execution; empty when this store cannot read the repository. */
    Optional<String> executionStatus(long executionId);

    /** FAILED with this exit status, only if the execution is still STARTING, STARTED or STOPPING; true if changed. */
    boolean markCrashed(long executionId, String exitStatus, Instant now);

    Optional<LeaseRecord> lease(String key);

    /** Adds a lease row; false if one exists already. */
    boolean insertLease(LeaseRecord lease);

    /** Replaces the row if it is still at {@code expectedVersion}; false if someone changed it first. */
    boolean replaceLease(long expectedVersion, LeaseRecord next);
}
