package org.appmetrica.loader.admin;

import jakarta.batch.operations.JobExecutionIsRunningException;
import jakarta.batch.operations.JobExecutionNotRunningException;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.NoSuchJobExecutionException;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.JobInstance;
import org.appmetrica.loader.admin.Views.ExecutionView;
import org.appmetrica.loader.logsapi.ExportSpool;
import org.appmetrica.loader.model.LoadParameters;
import org.appmetrica.loader.model.LoadParametersBuilder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Start, restart, stop and abandon an execution, as the REST API and the CLI do them. Starts and restarts go through
 * the {@link LoadLauncher}. Errors are {@link AdminException}s: 400 bad parameters, 404 unknown execution, 409 wrong state.
 */
public final class ExecutionCommands {

    private static final Logger LOG = Logger.getLogger(ExecutionCommands.class.getName());

    private final Supplier<JobOperator> operator;
    private final ExecutionQueries queries;
    private final LoadLauncher launcher;
    private final Properties startDefaults;

    /**
     * @param policy        the operator's allow-lists for loads started or restarted here
     * @param startDefaults parameters a start adds when they are not given (standalone: spoolDir under --data-dir)
     */
    public ExecutionCommands(Supplier<JobOperator> operator, ExecutionQueries queries, AccessPolicy policy, Properties startDefaults) {
        this.operator = operator;
        this.queries = queries;
        this.launcher = new LoadLauncher(operator, policy, true);
        this.startDefaults = startDefaults;
    }

    /** Starts {@code appmetrica-load} with validated parameters (400 with the loader's own message otherwise). */
    public ExecutionView start(Map<String, String> parameters) {
        LoadParametersBuilder p = LoadParameters.builder().setAll(startDefaults);
        parameters.forEach((k, v) -> p.set(k.trim(), v));
        return queries.execution(launcher.start(p.build())).execution();
    }

    /**
     * Restarts a FAILED or STOPPED execution (the most recent of its job instance) from its checkpoints, with the
     * parameters it ran with and the overrides given (an empty value clears a parameter).
     */
    public ExecutionView restart(long asked, Map<String, String> overrides) {
        queries.execution(asked); // 404 for an unknown id
        long id = Restarts.target(operator.get(), asked); // an execution restarted before: its newest one goes on
        ExecutionView e = queries.execution(id).execution();
        if (e.status() != BatchStatus.FAILED && e.status() != BatchStatus.STOPPED) {
            throw AdminException.conflict("execution " + id + " is " + e.status() + ": only a FAILED or STOPPED execution can be restarted");
        }
        Properties p = queries.effectiveParameters(id);
        overrides.forEach((k, v) -> p.setProperty(k.trim(), v));
        return queries.execution(launcher.restart(id, p)).execution();
    }

    /** Asks a running execution to stop at its next checkpoint; it ends STOPPED and can be restarted. */
    public ExecutionView stop(long id) {
        queries.refresh();
        queries.jobExecution(id);
        try {
            operator.get().stop(id);
        } catch (JobExecutionNotRunningException e) {
            throw AdminException.conflict("execution " + id + " is " + queries.jobExecution(id).getBatchStatus() + ", not running: nothing to stop");
        } catch (NoSuchJobExecutionException e) {
            throw AdminException.notFound("no execution " + id);
        }
        return queries.execution(id).execution();
    }

    /** Marks an execution that is not running ABANDONED: it is never restarted. */
    public ExecutionView abandon(long id) {
        queries.refresh();
        JobExecution e = queries.jobExecution(id);
        if (e.getBatchStatus() == BatchStatus.ABANDONED) {
            throw AdminException.conflict("execution " + id + " is ABANDONED already");
        }
        try {
            operator.get().abandon(id);
        } catch (JobExecutionIsRunningException e1) {
            throw AdminException.conflict("execution " + id + " is " + e.getBatchStatus() + ": stop it first, then abandon it");
        } catch (NoSuchJobExecutionException e1) {
            throw AdminException.notFound("no execution " + id);
        }
        deleteSpool(id);
        return queries.execution(id).execution();
    }

    /** An abandoned instance is never restarted: the raw data it spooled has no further use. */
    private void deleteSpool(long id) {
        JobOperator op = operator.get();
        JobInstance instance = op.getJobInstance(id);
        if (op.getJobExecutions(instance).stream().anyMatch(x -> x.getExecutionId() > id)) {
            return; // a later execution of the instance owns the spool
        }
        Path spoolDir = Path.of(LoadParameters.value(op.getParameters(id), LoadParameters.SPOOL_DIR, LoadParameters.Defaults.SPOOL_DIR));
        try {
            ExportSpool.deleteInstance(spoolDir, instance.getInstanceId());
        } catch (IOException | RuntimeException e) {
            LOG.warning("execution " + id + " is abandoned, but its spool under " + spoolDir + " could not be deleted: " + e);
        }
    }
}
