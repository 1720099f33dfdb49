package org.appmetrica.loader.standalone;

import jakarta.batch.operations.NoSuchJobException;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.JobInstance;
import jakarta.batch.runtime.Metric;
import jakarta.batch.runtime.StepExecution;
import org.appmetrica.loader.model.Jobs;
import org.appmetrica.loader.model.Slice;
import org.appmetrica.loader.model.SliceReport;
import org.jberet.runtime.PartitionExecutionImpl;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** Human-readable views of executions for the CLI. */
final class Reports {

    private Reports() {
    }

    static void summary(PrintStream out, JobExecution execution) {
        Map<String, long[]> perTable = new TreeMap<>();
        long firstByte = Long.MAX_VALUE;
        long lastPublish = 0;
        long timedRows = 0;
        for (StepExecution step : Repository.operator().getStepExecutions(execution.getExecutionId())) {
            if (!step.getStepName().equals(Jobs.LOAD_STEP)) {
                continue;
            }
            for (PartitionExecutionImpl p : Repository.partitions(step)) {
                if (p.getPersistentUserData() instanceof SliceReport r) {
                    long[] t = perTable.computeIfAbsent(Slice.parse(r.sliceKey()).source(), k -> new long[3]);
                    t[0] += r.rows();
                    t[1] += r.bytes();
                    t[2]++;
                    if (r.firstByteAt() > 0 && r.publishedAt() > 0) {
                        firstByte = Math.min(firstByte, r.firstByteAt());
                        lastPublish = Math.max(lastPublish, r.publishedAt());
                        timedRows += r.rows();
                    }
                }
            }
        }
        out.println("summary of execution " + execution.getExecutionId() + ": " + execution.getBatchStatus()
                + " in " + duration(execution.getStartTime(), execution.getEndTime()));
        long rows = 0;
        long bytes = 0;
        for (Map.Entry<String, long[]> e : perTable.entrySet()) {
            out.printf("  %-20s %12d rows %14d bytes %5d slices%n", e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2]);
            rows += e.getValue()[0];
            bytes += e.getValue()[1];
        }
        out.printf("  %-20s %12d rows %14d bytes%n", "total", rows, bytes);
        long seconds = Math.max(1, Duration.between(execution.getStartTime().toInstant(),
                (execution.getEndTime() == null ? new Date() : execution.getEndTime()).toInstant()).toMillis()) ;
        out.printf("  %.0f rows/s over the whole run%n", rows * 1000.0 / seconds);
        if (timedRows > 0) {
            long ms = Math.max(1, lastPublish - firstByte);
            out.printf("  load rate: %.0f rows/s (%d rows in %.3f s from the first export byte to the last publish)%n",
                    timedRows * 1000.0 / ms, timedRows, ms / 1000.0);
        }
    }

    static void executions(PrintStream out) {
        out.printf("%-6s %-10s %-20s %-20s %s%n", "id", "status", "started", "ended", "exit status");
        List<JobInstance> instances;
        try {
            instances = Repository.operator().getJobInstances(Jobs.LOAD_JOB, 0, Integer.MAX_VALUE);
        } catch (NoSuchJobException e) {
            instances = List.of(); // nothing was ever run with this data directory
        }
        List<JobExecution> all = new ArrayList<>();
        for (JobInstance i : instances) {
            all.addAll(Repository.operator().getJobExecutions(i));
        }
        all.sort(Comparator.comparingLong(JobExecution::getExecutionId));
        for (JobExecution e : all) {
            out.printf("%-6d %-10s %-20s %-20s %s%n", e.getExecutionId(), e.getBatchStatus(), time(e.getStartTime()),
                    time(e.getEndTime()), e.getExitStatus());
        }
    }

    static void status(PrintStream out, long executionId) {
        JobExecution e = Repository.operator().getJobExecution(executionId);
        out.println("execution " + e.getExecutionId() + " of " + e.getJobName() + ": " + e.getBatchStatus() + " (" + e.getExitStatus() + ")");
        out.println("  started " + time(e.getStartTime()) + ", ended " + time(e.getEndTime()));
        Properties params = Repository.operator().getParameters(executionId);
        out.println("  parameters " + new TreeMap<>(params));
        for (StepExecution step : Repository.operator().getStepExecutions(executionId)) {
            out.printf("  step %-15s %-10s read %d, written %d, commits %d, rollbacks %d  %s%n", step.getStepName(), step.getBatchStatus(),
                    metric(step, Metric.MetricType.READ_COUNT), metric(step, Metric.MetricType.WRITE_COUNT),
                    metric(step, Metric.MetricType.COMMIT_COUNT), metric(step, Metric.MetricType.ROLLBACK_COUNT),
                    step.getExitStatus() == null ? "" : step.getExitStatus());
            if (step.getStepName().equals(Jobs.LOAD_STEP)) {
                for (PartitionExecutionImpl p : Repository.partitions(step)) {
                    SliceReport r = p.getPersistentUserData() instanceof SliceReport s ? s : null;
                    // a slice still STARTED in an execution that ended was cut off by a crash
                    boolean interrupted = e.getEndTime() != null
                            && (p.getBatchStatus() == BatchStatus.STARTED || p.getBatchStatus() == BatchStatus.STARTING);
                    out.printf("    partition %-4d %-10s %-32s %-12s rows %d read %d written %d bytes %d %s%n", p.getPartitionId(),
                            interrupted ? "INTERRUPTED" : p.getBatchStatus(), r == null ? "" : r.sliceKey(), r == null ? "" : r.state(), r == null ? 0 : r.rows(),
                            metric(p, Metric.MetricType.READ_COUNT), metric(p, Metric.MetricType.WRITE_COUNT),
                            r == null ? 0 : r.bytes(), p.getExitStatus() != null && p.getExitStatus().startsWith("FAILED") ? p.getExitStatus() : "");
                }
            }
        }
    }

    static long metric(StepExecution step, Metric.MetricType type) {
        for (Metric m : step.getMetrics()) {
            if (m.getType() == type) {
                return m.getValue();
            }
        }
        return 0;
    }

    static String time(Date date) {
        return date == null ? "-" : date.toInstant().toString().substring(0, 19).replace('T', ' ');
    }

    static String duration(Date start, Date end) {
        if (start == null) {
            return "-";
        }
        Duration d = Duration.between(start.toInstant(), (end == null ? new Date() : end).toInstant());
        return String.format("%d.%03d s", d.toSeconds(), d.toMillisPart());
    }

    /** The first failure reason recorded for the execution (job, step or partition exit status). */
    static String failureReason(JobExecution e) {
        if (e.getExitStatus() != null && e.getExitStatus().startsWith("FAILED:")) {
            return e.getExitStatus().substring("FAILED: ".length());
        }
        for (StepExecution step : Repository.operator().getStepExecutions(e.getExecutionId())) {
            if (step.getExitStatus() != null && step.getExitStatus().startsWith("FAILED:")) {
                return step.getExitStatus().substring("FAILED: ".length());
            }
            if (step.getStepName().equals(Jobs.LOAD_STEP)) {
                for (PartitionExecutionImpl p : Repository.partitions(step)) {
                    if (p.getExitStatus() != null && p.getExitStatus().startsWith("FAILED:")) {
                        return p.getExitStatus().substring("FAILED: ".length());
                    }
                }
            }
        }
        return "see the log above";
    }
}
