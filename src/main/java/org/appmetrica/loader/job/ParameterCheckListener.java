package org.appmetrica.loader.job;

import jakarta.batch.api.listener.AbstractJobListener;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.appmetrica.loader.coordination.Coordination;
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
    /** JBeret's job_execution.exitstatus is VARCHAR(512): a longer one fails the update and the execution never ends. */
    private static final int MAX = 500;

    @Inject
    JobContext jobContext;

    @Override
    public void beforeJob() {
        long id = jobContext.getExecutionId();
        Properties given = BatchRuntime.getJobOperator().getParameters(id);
        try {
            ParameterCheck.parse(Coordination.loadParameters(given == null ? new Properties() : given));
        } catch (IllegalArgumentException e) {
            jobContext.setExitStatus(exitStatus(e.getMessage()));
            LOG.warning("execution " + id + " refused: " + e.getMessage());
            throw e; // the runtime fails the execution, keeping the exit status set above
        }
    }

    /** As other failures show theirs ("FAILED: reason"), cut to fit the repository's column. */
    public static String exitStatus(String message) {
        String s = "FAILED: " + message;
        return s.length() > MAX ? s.substring(0, MAX - 1) + "…" : s;
    }
}
