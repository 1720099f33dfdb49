package org.appmetrica.loader.job;

import jakarta.batch.api.listener.AbstractJobListener;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.Metric;
import jakarta.batch.runtime.StepExecution;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One line when an execution ends, for the server's log (WildFly has no CLI to print a summary):
 * {@code execution N ended: COMPLETED in 12 s, 14000 rows written}. Logger {@code org.appmetrica.loader.end}, not the
 * progress logger: the standalone CLI prints its own summary instead, and shows only progress lines.
 */
@Named
@Dependent
public class ExecutionEndListener extends AbstractJobListener {

    private static final Logger LOG = Logger.getLogger("org.appmetrica.loader.end");

    @Inject
    JobContext jobContext;

    @Override
    public void afterJob() {
        long id = jobContext.getExecutionId();
        String status = String.valueOf(jobContext.getBatchStatus()); // final here: the runtime sets it before afterJob
        String exit = jobContext.getExitStatus();
        String detail;
        try {
            detail = counts(BatchRuntime.getJobOperator(), id);
        } catch (RuntimeException e) {
            detail = "";
        }
        LOG.log(Level.INFO, "execution {0} ended: {1}{2}{3}", new Object[] {Long.toString(id), status, detail,
                exit == null || exit.equals(status) ? "" : " (" + exit + ")"});
    }

    /** " in D s, R rows written": the duration so far and the rows the load step wrote in this execution. */
    private static String counts(JobOperator operator, long id) {
        JobExecution execution = operator.getJobExecution(id);
        long rows = 0;
        for (StepExecution step : operator.getStepExecutions(id)) {
            if (step.getStepName().equals("load-slices")) {
                for (Metric m : step.getMetrics()) {
                    if (m.getType() == Metric.MetricType.WRITE_COUNT) {
                        rows += m.getValue();
                    }
                }
            }
        }
        long seconds = execution.getStartTime() == null ? 0
                : Duration.between(execution.getStartTime().toInstant(), Instant.now()).toSeconds();
        return " in " + seconds + " s, " + rows + " rows written";
    }
}
