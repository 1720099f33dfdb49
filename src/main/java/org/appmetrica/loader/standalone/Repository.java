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
        StandaloneRuntime.configure(dataDir.resolve("conf"),
                repositoryUrl == null ? StandaloneRuntime.defaultRepositoryUrl(dataDir) : repositoryUrl);
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

    /** Waits until the execution has ended and its final state is stored. */
    static JobExecution await(long executionId) throws InterruptedException {
        JobExecution execution = operator().getJobExecution(executionId);
        if (execution instanceof JobExecutionImpl impl) {
            impl.awaitTermination(0, java.util.concurrent.TimeUnit.SECONDS);
        }
        return operator().getJobExecution(executionId);
    }
}
