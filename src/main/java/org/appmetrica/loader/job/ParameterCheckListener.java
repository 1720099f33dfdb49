package org.appmetrica.loader.job;

import jakarta.batch.api.listener.AbstractJobListener;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.appmetrica.loader.coordination.Coordination;
import org.appmetrica.loader.metrics.Failures;
import org.appmetrica.loader.model.ParameterCheck;

import java.util.Properties;
import java.util.logging.Logger;

/**
 * Validates the job parameters as the launcher does, for an execution the launcher did not start (WildFly's
 * {@code start-job}, a JobOperator called directly): invalid ones fail the execution before any step runs, with the
 * launcher's message as its exit status. The job-level properties copy only the known parameters, so the execution's
 * own parameters are read: a misspelt name is refused here too.
 */
@Named
@Dependent
public class ParameterCheckListener extends AbstractJobListener {

    private static final Logger LOG = Logger.getLogger("org.appmetrica.loader.end");

    @Inject
    JobContext jobContext;

    @Override
    public void beforeJob() {
        long id = jobContext.getExecutionId();
        Properties given = BatchRuntime.getJobOperator().getParameters(id);
        try {
            ParameterCheck.parse(Coordination.loadParameters(given == null ? new Properties() : given));
        } catch (IllegalArgumentException e) {
            jobContext.setExitStatus(Failures.exitStatus(e.getMessage()));
            LOG.warning("execution " + id + " refused: " + e.getMessage());
            throw e; // the runtime fails the execution, keeping the exit status set above
        }
    }

}
