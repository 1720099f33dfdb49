package org.appmetrica.loader.admin;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.Metric;
import jakarta.batch.runtime.StepExecution;
import org.appmetrica.loader.admin.Views.PartitionView;
import org.appmetrica.loader.admin.Views.StepView;
import org.appmetrica.loader.model.Jobs;
import org.appmetrica.loader.model.Slice;
import org.appmetrica.loader.model.SliceReport;
import org.appmetrica.loader.model.SliceState;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Views of a step execution and its partitions (slices), for {@link ExecutionViews}. */
final class StepViews {

    private static final Logger LOG = Logger.getLogger(ExecutionQueries.class.getName());

    private final Supplier<JobOperator> operator;

    StepViews(Supplier<JobOperator> operator) {
        this.operator = operator;
    }

    /** A partition of a step execution: its index in the partition plan and its execution. */
    record Part(int id, StepExecution execution) {
    }

    StepView step(StepExecution step, List<Slice> plan) {
        List<PartitionView> partitions = List.of();
        String note = null;
        if (Jobs.LOAD_STEP.equals(step.getStepName())) {
            List<Part> parts = partitions(step);
            if (parts == null) {
                note = "partition details need the JBeret runtime (JBeret SE or WildFly's batch-jberet)";
            } else {
                List<PartitionView> list = new ArrayList<>();
                parts.sort(Comparator.comparingInt(Part::id));
                for (Part p : parts) {
                    list.add(partition(p, plan));
                }
                partitions = list;
            }
        }
        return new StepView(step.getStepExecutionId(), step.getStepName(), step.getBatchStatus(),
                SecretMask.text(step.getExitStatus()), time(step.getStartTime()), time(step.getEndTime()),
                duration(step.getStartTime(), step.getEndTime()),
                metric(step, Metric.MetricType.READ_COUNT), metric(step, Metric.MetricType.WRITE_COUNT),
                metric(step, Metric.MetricType.FILTER_COUNT), skips(step), metric(step, Metric.MetricType.COMMIT_COUNT),
                metric(step, Metric.MetricType.ROLLBACK_COUNT), partitions, note);
    }

    private PartitionView partition(Part p, List<Slice> plan) {
        StepExecution x = p.execution();
        SliceReport r = report(x);
        String key = r != null ? r.sliceKey() : plan != null && p.id() >= 0 && p.id() < plan.size() ? plan.get(p.id()).key() : null;
        Slice slice = null;
        try {
            slice = key == null ? null : Slice.parse(key);
        } catch (RuntimeException ignored) {
            // an unknown key format is shown as it is
        }
        long read = metric(x, Metric.MetricType.READ_COUNT);
        long written = metric(x, Metric.MetricType.WRITE_COUNT);
        boolean live = read > 0 || written > 0;
        long staged = r == null ? 0 : r.rows();
        long rowsWritten = Math.max(written, staged);
        long rowsRead = Math.max(read, rowsWritten);
        String failure = ExecutionViews.failureOf(x.getExitStatus());
        SliceState state = r == null ? null : r.sliceState();
        String lastError = failure != null ? failure
                : r != null && (state == SliceState.RETRYING || state == SliceState.RATE_LIMITED) ? r.message() : null;
        return new PartitionView(p.id(), x.getBatchStatus(), SecretMask.text(x.getExitStatus()), key,
                slice == null ? null : slice.applicationId(), slice == null ? null : slice.source(),
                slice == null ? null : slice.day() == null ? null : slice.day().toString(),
                state, r == null ? -1 : r.apiProgress(), rowsRead, rowsWritten, skips(x), r == null ? 0 : r.bytes(),
                r == null ? duration(x.getStartTime(), x.getEndTime()) : r.millis(),
                SecretMask.text(r == null ? null : r.message()), SecretMask.text(lastError), live);
    }

    /** The partitions of a step, or null when this runtime cannot show them. */
    List<Part> partitions(StepExecution step) {
        try {
            List<Part> parts = JberetPartitions.of(operator.get(), step);
            return parts == null ? null : new ArrayList<>(parts);
        } catch (LinkageError | RuntimeException e) {
            LOG.log(Level.FINE, "partitions of step execution " + step.getStepExecutionId(), e);
            return null;
        }
    }

    /** The partition's SliceReport; stored user data is deserialised with the application's class loader. */
    static SliceReport report(StepExecution x) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        try {
            t.setContextClassLoader(SliceReport.class.getClassLoader());
            return x.getPersistentUserData() instanceof SliceReport r ? r : null;
        } catch (RuntimeException e) {
            return null;
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    private static long metric(StepExecution step, Metric.MetricType type) {
        Metric[] metrics = step.getMetrics();
        if (metrics != null) {
            for (Metric m : metrics) {
                if (m != null && m.getType() == type) {
                    return m.getValue();
                }
            }
        }
        return 0;
    }

    private static long skips(StepExecution step) {
        return metric(step, Metric.MetricType.READ_SKIP_COUNT) + metric(step, Metric.MetricType.PROCESS_SKIP_COUNT)
                + metric(step, Metric.MetricType.WRITE_SKIP_COUNT);
    }

    static String time(Date date) {
        return date == null ? null : date.toInstant().toString();
    }

    private static long duration(Date start, Date end) {
        if (start == null) {
            return 0;
        }
        return Math.max(0, (end == null ? System.currentTimeMillis() : end.getTime()) - start.getTime());
    }
}
