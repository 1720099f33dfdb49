package org.appmetrica.loader.job;

import jakarta.batch.api.partition.AbstractPartitionAnalyzer;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Runs on the step's main thread as each partition ends: carries the first partition's failure reason up to the
 * step's and the job's exit status, so that listings show why an execution failed without opening partitions.
 */
@Named
@Dependent
public class SliceFailureAnalyzer extends AbstractPartitionAnalyzer {

    @Inject
    JobContext jobContext;
    @Inject
    StepContext stepContext;

    @Override
    public void analyzeStatus(BatchStatus batchStatus, String exitStatus) {
        if (batchStatus == BatchStatus.FAILED && exitStatus != null && exitStatus.startsWith("FAILED:")) {
            if (stepContext.getExitStatus() == null || !stepContext.getExitStatus().startsWith("FAILED:")) {
                stepContext.setExitStatus(exitStatus);
            }
            if (jobContext.getExitStatus() == null || !jobContext.getExitStatus().startsWith("FAILED:")) {
                jobContext.setExitStatus(exitStatus);
            }
        }
    }
}
