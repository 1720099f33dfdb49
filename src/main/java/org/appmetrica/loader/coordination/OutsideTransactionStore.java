package org.appmetrica.loader.coordination;

import jakarta.transaction.InvalidTransactionException;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A store whose every call runs outside the calling thread's JTA transaction, which is suspended for the call and
 * resumed after it.
 * <p>In an application server the batch runtime opens and closes readers and writers, and runs every chunk, inside a
 * JTA transaction. A connection taken from the (JTA) job repository datasource in there joins that transaction: a
 * lease taken in a reader's {@code open} would stay invisible to other executions until {@code open} commits (after
 * the export has waited in the API's queue and been downloaded), a lease released in a chunk that rolls back would
 * come back, and a kill would forget a lease or a stage epoch that the ClickHouse side already relies on. Suspending
 * the transaction gives each store call its own auto-commit connection from the same datasource, so one datasource is
 * all an operator defines (an H2 file or PostgreSQL alike), and the coordination rows commit the way JBeret's own status
 * updates outside a chunk do.
 */
final class OutsideTransactionStore implements CoordinationStore {

    private final CoordinationStore delegate;
    private final TransactionManager transactions;

    OutsideTransactionStore(CoordinationStore delegate, TransactionManager transactions) {
        this.delegate = delegate;
        this.transactions = transactions;
    }

    private <T> T outside(Supplier<T> call) {
        Transaction suspended;
        try {
            suspended = transactions.suspend(); // null when the thread has no transaction
        } catch (SystemException e) {
            throw new CoordinationException("could not suspend the caller's transaction: " + e.getMessage(), e);
        }
        T result;
        try {
            result = call.get();
        } catch (RuntimeException | Error e) {
            try {
                resume(suspended);
            } catch (CoordinationException r) {
                e.addSuppressed(r);
            }
            throw e;
        }
        resume(suspended);
        return result;
    }

    private void resume(Transaction suspended) {
        if (suspended == null) {
            return;
        }
        try {
            transactions.resume(suspended);
        } catch (InvalidTransactionException | SystemException | IllegalStateException e) {
            // The caller's transaction (timed out and rolled back meanwhile, say) cannot go on: let the caller fail.
            throw new CoordinationException("could not resume the caller's transaction: " + e.getMessage(), e);
        }
    }

    private void outside(Runnable call) {
        outside(() -> {
            call.run();
            return null;
        });
    }

    @Override
    public void recordOwner(long executionId, ProcessIdentity owner) {
        outside(() -> delegate.recordOwner(executionId, owner));
    }

    @Override
    public Optional<ProcessIdentity> owner(long executionId) {
        return outside(() -> delegate.owner(executionId));
    }

    @Override
    public void heartbeat(ProcessIdentity process, Instant now) {
        outside(() -> delegate.heartbeat(process, now));
    }

    @Override
    public Optional<Instant> lastHeartbeat(ProcessIdentity process) {
        return outside(() -> delegate.lastHeartbeat(process));
    }

    @Override
    public List<UnfinishedExecution> unfinishedExecutions() {
        return outside(delegate::unfinishedExecutions);
    }

    @Override
    public Optional<String> executionStatus(long executionId) {
        return outside(() -> delegate.executionStatus(executionId));
    }

    @Override
    public boolean markCrashed(long executionId, String exitStatus, Instant now) {
        return outside(() -> delegate.markCrashed(executionId, exitStatus, now));
    }

    @Override
    public Optional<LeaseRecord> lease(String key) {
        return outside(() -> delegate.lease(key));
    }

    @Override
    public boolean insertLease(LeaseRecord lease) {
        return outside(() -> delegate.insertLease(lease));
    }

    @Override
    public boolean replaceLease(long expectedVersion, LeaseRecord next) {
        return outside(() -> delegate.replaceLease(expectedVersion, next));
    }
}
