package org.appmetrica.loader.standalone;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.NoSuchJobException;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.StepExecution;
import org.appmetrica.loader.config.Timeline;
import org.appmetrica.loader.model.Jobs;
import org.jberet.operations.AbstractJobOperator;
import org.jberet.operations.DelegatingJobOperator;
import org.jberet.repository.JobRepository;
import org.jberet.runtime.JobExecutionImpl;
import org.jberet.runtime.PartitionExecutionImpl;
import org.jberet.runtime.StepExecutionImpl;
import org.jberet.se.SEArtifactFactory;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The standalone job repository (an H2 file by default) and the JobOperator over it. */
final class Repository {

    private Repository() {
    }

    /** Must run before the first BatchRuntime call. */
    static void configure(Path dataDir, String repositoryUrl) {
        StandaloneRuntime.configure(dataDir, repositoryUrl);
    }

    /**
     * Starts JBeret SE's Weld container (bean discovery: about a second of a run's start) on a daemon thread, so that it
     * overlaps the job repository's opening and the start checks; the job's start then finds it started (JBeret's
     * artifact factory makes one container per process and waits for one under way). A failure here is left to that
     * start to report.
     */
    static void startContainer() {
        Thread thread = new Thread(() -> {
            try {
                new SEArtifactFactory();
                Timeline.mark("CDI container started");
            } catch (RuntimeException | LinkageError e) {
                Logger.getLogger(Repository.class.getName()).log(Level.FINE, "starting the CDI container ahead", e);
            }
        }, "cdi-start");
        thread.setDaemon(true);
        thread.start();
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

    /** So that a long-running process sees what other processes changed since (see {@link ExecutionCache}). */
    static void forgetEndedExecutions() {
        ExecutionCache.forgetEnded(jobRepository());
    }

    /** Waits until the execution has ended and its final state is stored. */
    static JobExecution await(long executionId) throws InterruptedException {
        return Jobs.await(operator(), executionId);
    }

    /**
     * Asks the load executions this process runs to stop; they end STOPPED at their next checkpoint and can be restarted.
     * Executions of other processes sharing the repository are left alone.
     *
     * @return the ids asked to stop
     */
    static Set<Long> stopOwnExecutions(JobOperator operator, PrintStream out, String who) {
        Set<Long> running = new TreeSet<>();
        List<Long> live;
        try {
            live = operator.getRunningExecutions(Jobs.LOAD_JOB);
        } catch (NoSuchJobException e) {
            return running; // a repository where the job never ran (a console stopped before its first load)
        }
        for (long id : live) {
            // an execution started by this process has live step executions; one read from the database has none
            if (operator.getJobExecution(id) instanceof JobExecutionImpl impl && !impl.getStepExecutions().isEmpty()) {
                running.add(id);
            }
        }
        for (long id : running) {
            out.println(who + ": stopping execution " + id + ": it ends STOPPED and can be restarted");
            try {
                operator.stop(id);
            } catch (RuntimeException e) {
                out.println(who + ": could not stop execution " + id + ": " + e.getMessage());
            }
        }
        return running;
    }
}
