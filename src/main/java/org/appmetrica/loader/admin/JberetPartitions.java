package org.appmetrica.loader.admin;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.StepExecution;
import org.appmetrica.loader.model.SliceReport;
import org.jberet.operations.AbstractJobOperator;
import org.jberet.operations.DelegatingJobOperator;
import org.jberet.runtime.PartitionExecutionImpl;
import org.jberet.runtime.StepExecutionImpl;

import java.util.ArrayList;
import java.util.List;

/**
 * The partitions of a step execution, which the Jakarta Batch API does not expose: JBeret's job repository has them.
 * For an execution running in this process these are the runtime's live objects (state, persistent user data and
 * metrics as of now); otherwise they are read from the repository (as of the last checkpoint, without metrics).
 * Works on JBeret SE and in WildFly (whose batch subsystem adds org.jberet.jberet-core to every deployment). Only
 * {@link StepViews} calls this, guarded, so that a runtime without JBeret still serves everything else.
 */
final class JberetPartitions {

    private JberetPartitions() {
    }

    /** Null when the runtime is not JBeret or the step was not run by it. */
    static List<StepViews.Part> of(JobOperator operator, StepExecution step) {
        JobOperator op = operator;
        if (op instanceof DelegatingJobOperator d) {
            op = d.getDelegate();
        }
        if (!(op instanceof AbstractJobOperator jberet) || !(step instanceof StepExecutionImpl impl)) {
            return null;
        }
        List<PartitionExecutionImpl> list = jberet.getJobRepository().getPartitionExecutions(impl.getStepExecutionId(), impl, false,
                SliceReport.class.getClassLoader());
        if (list == null) {
            return null;
        }
        // A running step's list is the runtime's own, still growing while partitions start: copy it (a slot being
        // filled at this moment reads as null and is left out).
        List<StepViews.Part> parts = new ArrayList<>();
        for (PartitionExecutionImpl p : list.toArray(new PartitionExecutionImpl[0])) {
            if (p != null) {
                parts.add(new StepViews.Part(p.getPartitionId(), p));
            }
        }
        return parts;
    }
}
