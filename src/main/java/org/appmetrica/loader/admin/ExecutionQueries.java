package org.appmetrica.loader.admin;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.admin.Views.ExecutionDetail;
import org.appmetrica.loader.admin.Views.ExecutionView;
import org.appmetrica.loader.admin.Views.JobView;
import org.appmetrica.loader.coordination.CrashedExecutions;

import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads of the job repository, as the REST API and the CLI's {@code --json} serve them: the jobs, the newest
 * executions, one execution with its steps. No secret is resolved for display: parameters are shown as references.
 */
public final class ExecutionQueries {

    private static final Logger LOG = Logger.getLogger(ExecutionQueries.class.getName());

    private final ExecutionViews views;
    private final Runnable beforeRead;

    /**
     * @param operator   the JobOperator (per call: in WildFly it is the calling deployment's)
     * @param beforeRead run before executions are read, e.g. forget what the runtime cached about ended executions,
     *                   which another process may have changed since (the standalone console shares its repository)
     */
    public ExecutionQueries(Supplier<JobOperator> operator, Runnable beforeRead) {
        this.views = new ExecutionViews(operator);
        this.beforeRead = beforeRead;
    }

    /** Reads without a before-read action (the CLI, the WAR). */
    public ExecutionQueries(Supplier<JobOperator> operator) {
        this(operator, () -> { });
    }

    public List<JobView> jobs() {
        return views.jobs();
    }

    /** The most recent executions of every job, newest first. */
    public List<ExecutionView> executions(int limit) {
        if (limit <= 0) {
            throw AdminException.badRequest("limit=" + limit + ": expected a positive number");
        }
        refresh();
        return views.executions(limit);
    }

    public ExecutionDetail execution(long id) {
        refresh();
        return views.execution(id);
    }

    /** The parameters an execution ran with: its own over those of the earlier executions of its job instance. */
    Properties effectiveParameters(long id) {
        return views.effectiveParameters(id);
    }

    /** The execution as the JobOperator has it; 404 for an unknown id. */
    JobExecution jobExecution(long id) {
        return views.jobExecution(id);
    }

    void refresh() {
        try {
            beforeRead.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "before reading executions: " + e.getMessage(), e);
        }
        // An execution whose process is gone is shown, and can be restarted, as what it is: FAILED (crashed).
        CrashedExecutions.reconcile();
    }
}
