package org.appmetrica.loader.model;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.jberet.runtime.JobExecutionImpl;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The load job's names and how to wait for one of its executions. */
public final class Jobs {

    /** The job (batch-jobs/appmetrica-load.xml). */
    public static final String LOAD_JOB = "appmetrica-load";
    /** Its partitioned step: one partition per slice. */
    public static final String LOAD_STEP = "load-slices";
    /** The statuses an execution ends with. */
    public static final Set<BatchStatus> ENDED = EnumSet.of(BatchStatus.COMPLETED, BatchStatus.FAILED, BatchStatus.STOPPED,
            BatchStatus.ABANDONED);

    private static final long POLL_MILLIS = 200;

    private Jobs() {
    }

    public static boolean ended(JobExecution e) {
        return e.getEndTime() != null && ENDED.contains(e.getBatchStatus());
    }

    /**
     * Waits until an execution this process runs has ended. JBeret's own execution is awaited to its termination, when
     * its final state is stored (a process that exits right after loses nothing); other runtimes are polled.
     */
    public static JobExecution await(JobOperator operator, long executionId) throws InterruptedException {
        return await(operator, executionId, () -> false).orElseThrow();
    }

    /**
     * As {@link #await(JobOperator, long)}, giving up (empty) once {@code giveUp} says so, checked every 200 ms: a wait
     * that must end without an interrupt (an interrupt inside an embedded H2 call closes the database for the process).
     */
    public static Optional<JobExecution> await(JobOperator operator, long executionId, BooleanSupplier giveUp) throws InterruptedException {
        if (operator.getJobExecution(executionId) instanceof JobExecutionImpl impl) {
            while (!ended(impl)) { // the live execution, in memory: no repository read per check
                if (giveUp.getAsBoolean()) {
                    return Optional.empty();
                }
                impl.awaitTermination(POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
            impl.awaitTermination(0, TimeUnit.SECONDS); // ended: its final state is being stored
        }
        while (true) {
            JobExecution e = operator.getJobExecution(executionId);
            if (ended(e)) {
                return Optional.of(e);
            }
            if (giveUp.getAsBoolean()) {
                return Optional.empty();
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
