package org.appmetrica.loader.standalone;

import jakarta.batch.operations.NoSuchJobException;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.JobInstance;
import jakarta.batch.runtime.Metric;
import jakarta.batch.runtime.StepExecution;
import org.appmetrica.loader.coordination.Coordination;
import org.appmetrica.loader.model.Human;
import org.appmetrica.loader.model.Jobs;
import org.appmetrica.loader.model.LoadParameters;
import org.appmetrica.loader.model.Slice;
import org.appmetrica.loader.model.SliceReport;
import org.appmetrica.loader.model.SliceState;
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

    /**
     * What the execution did, per source: rows and bytes of the slices it published, and how many of the planned slices
     * those are; after a stop or failure, the rows staged in slices not finished and the slices never started.
     */
    static void summary(PrintStream out, JobExecution execution) {
        summary(out, execution, publishedEarlier(execution.getExecutionId()));
    }

    /** The slices (partition ids) earlier executions of the execution's job instance published. */
    static int publishedEarlier(long executionId) {
        java.util.Set<Integer> ids = new java.util.HashSet<>();
        JobInstance instance = Repository.operator().getJobInstance(executionId);
        for (JobExecution before : Repository.operator().getJobExecutions(instance)) {
            if (before.getExecutionId() >= executionId) {
                continue;
            }
            for (StepExecution step : Repository.operator().getStepExecutions(before.getExecutionId())) {
                if (step.getStepName().equals(Jobs.LOAD_STEP)) {
                    for (PartitionExecutionImpl p : Repository.partitions(step)) {
                        if (p.getBatchStatus() == BatchStatus.COMPLETED
                                || p.getPersistentUserData() instanceof SliceReport r && r.is(SliceState.PUBLISHED)) {
                            ids.add(p.getPartitionId());
                        }
                    }
                }
            }
        }
        return ids.size();
    }

    static void summary(PrintStream out, JobExecution execution, int earlier) {
        Map<String, long[]> perSource = new TreeMap<>(); // published rows, bytes, slices; planned slices
        Map<String, Integer> planned = plannedPerSource(execution.getExecutionId());
        planned.forEach((source, n) -> perSource.computeIfAbsent(source, k -> new long[4])[3] = n);
        long firstByte = Long.MAX_VALUE;
        long lastPublish = 0;
        long timedRows = 0;
        long stagedRows = 0;
        int unfinished = 0;
        int seen = 0;
        int notStarted = 0;
        for (StepExecution step : Repository.operator().getStepExecutions(execution.getExecutionId())) {
            if (!step.getStepName().equals(Jobs.LOAD_STEP)) {
                continue;
            }
            for (PartitionExecutionImpl p : Repository.partitions(step)) {
                seen++;
                if (!(p.getPersistentUserData() instanceof SliceReport r)) {
                    notStarted++;
                    continue;
                }
                long[] t = perSource.computeIfAbsent(Slice.parse(r.sliceKey()).source(), k -> new long[4]);
                if (r.is(SliceState.PUBLISHED)) {
                    t[0] += r.rows();
                    t[1] += r.bytes();
                    t[2]++;
                    if (r.firstByteAt() > 0 && r.publishedAt() > 0) {
                        firstByte = Math.min(firstByte, r.firstByteAt());
                        lastPublish = Math.max(lastPublish, r.publishedAt());
                        timedRows += r.rows();
                    }
                } else if (r.is(SliceState.NOT_STARTED)) {
                    notStarted++;
                } else {
                    unfinished++;
                    stagedRows += r.rows();
                }
            }
        }
        int plannedTotal = planned.values().stream().mapToInt(Integer::intValue).sum();
        // partitions the runtime never handed out (a stop or failure came first) count as not started too
        notStarted += Math.max(0, plannedTotal - earlier - seen);
        out.println("summary of execution " + execution.getExecutionId() + ": " + execution.getBatchStatus()
                + " in " + duration(execution.getStartTime(), execution.getEndTime()));
        long rows = 0;
        long bytes = 0;
        long slices = 0;
        for (Map.Entry<String, long[]> e : perSource.entrySet()) {
            long[] t = e.getValue();
            out.printf("  %-20s %14s rows %10s %5d of %d slices loaded%n", e.getKey(), Human.count(t[0]), Human.bytes(t[1]), t[2], t[3]);
            rows += t[0];
            bytes += t[1];
            slices += t[2];
        }
        out.printf("  %-20s %14s rows %10s %5d of %d slices loaded%n", "total", Human.count(rows), Human.bytes(bytes), slices, plannedTotal);
        if (earlier > 0) {
            out.println("  " + earlier + " slices were loaded by earlier executions of this load");
        }
        if (unfinished > 0) {
            out.println("  " + unfinished + " slices not finished" + (stagedRows == 0 ? ", no rows of theirs staged yet"
                    : " (" + Human.count(stagedRows) + " rows staged, not yet in the tables)"));
        }
        if (notStarted > 0) {
            out.println("  " + notStarted + " slices not started");
        }
        long millis = Math.max(1, Duration.between(execution.getStartTime().toInstant(),
                (execution.getEndTime() == null ? new Date() : execution.getEndTime()).toInstant()).toMillis());
        out.println("  " + Human.count(Math.round(rows * 1000.0 / millis)) + " rows/s over the whole run");
        if (timedRows > 0) {
            long ms = Math.max(1, lastPublish - firstByte);
            out.printf("  load rate: %s rows/s (%s rows in %.3f s from the first export byte to the last publish)%n",
                    Human.count(Math.round(timedRows * 1000.0 / ms)), Human.count(timedRows), ms / 1000.0);
        }
    }

    /** The execution's plan: slices per source, from its parameters (empty when they no longer parse). */
    static Map<String, Integer> plannedPerSource(long executionId) {
        Map<String, Integer> planned = new TreeMap<>();
        try {
            for (Slice s : LoadParameters.parse(loadParameters(Repository.operator().getParameters(executionId))).slices()) {
                planned.merge(s.source(), 1, Integer::sum);
            }
        } catch (RuntimeException e) {
            // shown without the plan
        }
        return planned;
    }

    /** The parameters a user gave: without the runtime's (jberet.*) and the owner stamp. */
    static Properties loadParameters(Properties all) {
        Properties p = new Properties();
        for (String k : all.stringPropertyNames()) {
            if (!k.startsWith("jberet.") && !k.equals(Coordination.OWNER_PARAMETER)) {
                p.setProperty(k, all.getProperty(k));
            }
        }
        return p;
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
        String exit = e.getExitStatus() == null || e.getExitStatus().equals(String.valueOf(e.getBatchStatus())) ? "" : " (" + e.getExitStatus() + ")";
        out.println("execution " + e.getExecutionId() + " of " + e.getJobName() + ": " + e.getBatchStatus() + exit);
        out.println("  started " + time(e.getStartTime()) + ", ended " + time(e.getEndTime()));
        Properties params = loadParameters(Repository.operator().getParameters(executionId));
        out.println("  parameters " + new TreeMap<>(org.appmetrica.loader.admin.SecretMask.parameters(params)));
        for (StepExecution step : Repository.operator().getStepExecutions(executionId)) {
            List<String> lines = new ArrayList<>();
            long read = metric(step, Metric.MetricType.READ_COUNT);
            long written = metric(step, Metric.MetricType.WRITE_COUNT);
            if (step.getStepName().equals(Jobs.LOAD_STEP)) {
                read = 0;
                written = 0;
                for (PartitionExecutionImpl p : Repository.partitions(step)) {
                    SliceReport r = p.getPersistentUserData() instanceof SliceReport s ? s : null;
                    // a slice still STARTED in an execution that ended was cut off by a crash
                    boolean interrupted = e.getEndTime() != null
                            && (p.getBatchStatus() == BatchStatus.STARTED || p.getBatchStatus() == BatchStatus.STARTING);
                    // as the console and the summary count them: the rows staged were written, and read
                    long w = Math.max(metric(p, Metric.MetricType.WRITE_COUNT), r == null ? 0 : r.rows());
                    long rd = Math.max(metric(p, Metric.MetricType.READ_COUNT), w);
                    read += rd;
                    written += w;
                    lines.add(String.format("    partition %-4d %-11s %-32s %-12s read %s, written %s, %s %s", p.getPartitionId(),
                            interrupted ? "INTERRUPTED" : p.getBatchStatus(), r == null ? "" : r.sliceKey(),
                            r == null ? SliceState.NOT_STARTED : r.state(), Human.count(rd), Human.count(w),
                            Human.bytes(r == null ? 0 : r.bytes()),
                            p.getExitStatus() != null && p.getExitStatus().startsWith("FAILED") ? p.getExitStatus() : "").stripTrailing());
                }
            }
            String stepExit = step.getExitStatus() == null || step.getExitStatus().equals(String.valueOf(step.getBatchStatus())) ? "" : step.getExitStatus();
            out.println(String.format("  step %-15s %-10s read %s, written %s, commits %d, rollbacks %d  %s", step.getStepName(), step.getBatchStatus(),
                    Human.count(read), Human.count(written), metric(step, Metric.MetricType.COMMIT_COUNT),
                    metric(step, Metric.MetricType.ROLLBACK_COUNT), stepExit).stripTrailing());
            lines.forEach(out::println);
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

    /**
     * The line(s) after the summary of an execution that did not complete: a stop is a stop, not a failure; a failure
     * names its cause and how to restart, overriding a parameter if that was the cause.
     */
    static void ending(PrintStream out, JobExecution e) {
        long id = e.getExecutionId();
        if (e.getBatchStatus() == BatchStatus.STOPPED) {
            out.println("execution " + id + " stopped as asked; continue it with: restart " + id);
            return;
        }
        String reason = failureReason(e);
        out.println("execution " + id + " ended " + e.getBatchStatus() + ": " + reason);
        String parameter = reason.contains("ClickHouse") ? "clickhouseUrl=…"
                : reason.contains("Logs API") || reason.contains("token") ? "apiUrl=… (or tokenRef=…)" : null;
        out.println("restart it with: restart " + id + (parameter == null ? " (KEY=VALUE after the id overrides a parameter)"
                : "   or, to change a parameter: restart " + id + " " + parameter));
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
