package org.appmetrica.loader.standalone;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.StepExecution;
import org.jberet.operations.AbstractJobOperator;
import org.jberet.operations.DelegatingJobOperator;
import org.jberet.repository.JobRepository;
import org.jberet.runtime.JobExecutionImpl;
import org.jberet.runtime.PartitionExecutionImpl;
import org.jberet.runtime.StepExecutionImpl;

import java.nio.file.Path;
import java.util.List;

/** The standalone job repository (an H2 file by default) and the JobOperator over it. */
final class Repository {

    static final String JOB = "appmetrica-load";

    private Repository() {
    }

    /** Must run before the first BatchRuntime call. */
    static void configure(Path dataDir, String repositoryUrl) {
        StandaloneRuntime.configure(dataDir, repositoryUrl);
    }

    static JobOperator operator() {
        return BatchRuntime.getJobOperator();
    }

    static JobRepository jobRepository() {
        JobOperator op = operator();
        if (op instanceof DelegatingJobOperator d) {
            op = d.getDelegate();
        }
        return ((AbstractJobOperator) op).getJobRepository();
    }

    static List<PartitionExecutionImpl> partitions(StepExecution step) {
        return jobRepository().getPartitionExecutions(step.getStepExecutionId(), (StepExecutionImpl) step, false,
                Repository.class.getClassLoader());
    }

    /**
     * Forgets the ended executions JBeret keeps in memory (it never reads an ended execution from the database again),
     * so that a long-running process (the console) sees what other processes changed since: an execution abandoned
     * with the CLI. Running executions stay: their in-memory state is the live one.
     */
    static void forgetEndedExecutions() {
        JobRepository repository = jobRepository();
        if (!(repository instanceof org.jberet.repository.AbstractPersistentRepository)) {
            return;
        }
        try {
            java.lang.reflect.Field f = org.jberet.repository.AbstractPersistentRepository.class.getDeclaredField("jobExecutions");
            f.setAccessible(true);
            java.util.Map<?, ?> cache = (java.util.Map<?, ?>) f.get(repository);
            cache.values().removeIf(ref -> {
                Object e = ((java.lang.ref.Reference<?>) ref).get();
                return e == null || e instanceof JobExecutionImpl x && x.getEndTime() != null && ENDED.contains(x.getBatchStatus());
            });
        } catch (ReflectiveOperationException | RuntimeException e) {
            // an other JBeret version: ended executions are shown as this process last saw them
        }
    }

    private static final java.util.Set<jakarta.batch.runtime.BatchStatus> ENDED = java.util.EnumSet.of(jakarta.batch.runtime.BatchStatus.COMPLETED,
            jakarta.batch.runtime.BatchStatus.FAILED, jakarta.batch.runtime.BatchStatus.STOPPED, jakarta.batch.runtime.BatchStatus.ABANDONED);

    /** Waits until the execution has ended and its final state is stored. */
    static JobExecution await(long executionId) throws InterruptedException {
        JobExecution execution = operator().getJobExecution(executionId);
        if (execution instanceof JobExecutionImpl impl) {
            impl.awaitTermination(0, java.util.concurrent.TimeUnit.SECONDS);
        }
        return operator().getJobExecution(executionId);
    }
}
