package org.appmetrica.loader.coordination;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * For a job repository that lives in memory (one process, nothing survives it): leases still keep two executions of
 * this process off the same slice; no execution of another process can exist, so none is ever declared crashed.
 */
public final class InMemoryCoordinationStore implements CoordinationStore {

    private final Map<Long, ProcessIdentity> owners = new HashMap<>();
    private final Map<String, Instant> heartbeats = new HashMap<>();
    private final Map<String, LeaseRecord> leases = new HashMap<>();

    @Override
    public synchronized void recordOwner(long executionId, ProcessIdentity owner) {
        owners.put(executionId, owner);
    }

    @Override
    public synchronized Optional<ProcessIdentity> owner(long executionId) {
        return Optional.ofNullable(owners.get(executionId));
    }

    @Override
    public synchronized void heartbeat(ProcessIdentity process, Instant now) {
        heartbeats.put(process.encode(), now);
    }

    @Override
    public synchronized Optional<Instant> lastHeartbeat(ProcessIdentity process) {
        return Optional.ofNullable(heartbeats.get(process.encode()));
    }

    @Override
    public List<UnfinishedExecution> unfinishedExecutions() {
        return List.of();
    }

    @Override
    public Optional<String> executionStatus(long executionId) {
        return Optional.empty();
    }

    @Override
    public boolean markCrashed(long executionId, String exitStatus, Instant now) {
        return false;
    }

    @Override
    public synchronized Optional<LeaseRecord> lease(String key) {
        return Optional.ofNullable(leases.get(key));
    }

    @Override
    public synchronized boolean insertLease(LeaseRecord lease) {
        return leases.putIfAbsent(lease.key(), lease) == null;
    }

    @Override
    public synchronized boolean replaceLease(long expectedVersion, LeaseRecord next) {
        LeaseRecord current = leases.get(next.key());
        if (current == null || current.version() != expectedVersion) {
            return false;
        }
        leases.put(next.key(), next);
        return true;
    }
}
