package org.appmetrica.loader.job;

import jakarta.batch.api.listener.AbstractJobListener;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.appmetrica.loader.coordination.Coordination;

/** Records the process that runs this execution: when that process is gone, the execution is known to have crashed. */
@Named
@Dependent
public class ExecutionOwnerListener extends AbstractJobListener {

    @Inject
    JobContext jobContext;

    @Override
    public void beforeJob() {
        Coordination.ownedByThisProcess(jobContext.getExecutionId());
    }
}
