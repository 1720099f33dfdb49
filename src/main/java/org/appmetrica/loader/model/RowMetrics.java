package org.appmetrica.loader.model;

import jakarta.batch.runtime.Metric;
import jakarta.batch.runtime.context.StepContext;
import org.jberet.runtime.context.StepContextImpl;

/**
 * Jakarta Batch counts items, and an item of this job is a block of rows (reader.RowBlock) handed on to one chunk
 * buffer: the step's read and write counts are topped up to rows, so that every view of them (status, the console,
 * the end line, jboss-cli and HAL in WildFly) reads rows as before. Batch artifacts of another runtime are left alone.
 */
public final class RowMetrics {

    private RowMetrics() {
    }

    /** {@code rows} were read in one item, which the runtime counts as one. */
    public static void read(StepContext step, long rows) {
        add(step, Metric.MetricType.READ_COUNT, rows - 1);
    }

    /** {@code rows} were written in {@code items} items, which the runtime counts once the write returns. */
    public static void written(StepContext step, long rows, int items) {
        add(step, Metric.MetricType.WRITE_COUNT, rows - items);
    }

    private static void add(StepContext step, Metric.MetricType type, long extra) {
        if (extra != 0 && JBERET && step instanceof StepContextImpl jberet) {
            jberet.getStepExecution().getStepMetrics().increment(type, extra);
        }
    }

    /** Whether JBeret's own classes are visible here (a deployment sees them only through its module dependencies). */
    private static final boolean JBERET = visible();

    private static boolean visible() {
        try {
            Class.forName("org.jberet.runtime.context.StepContextImpl", false, RowMetrics.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
