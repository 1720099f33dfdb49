package org.appmetrica.loader.admin;

import jakarta.batch.operations.JobExecutionAlreadyCompleteException;
import jakarta.batch.operations.JobExecutionNotMostRecentException;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.JobRestartException;
import jakarta.batch.operations.JobStartException;
import jakarta.batch.operations.NoSuchJobExecutionException;
import org.appmetrica.loader.coordination.Coordination;
import org.appmetrica.loader.model.Jobs;
import org.appmetrica.loader.model.ParameterCheck;
import org.appmetrica.loader.model.LoadSettings;

import java.util.Properties;
import java.util.function.Supplier;

/**
 * The one way a load is started or restarted: by the CLI, the REST API and the console, connection runs and coverage's
 * "load this range". It validates the parameters, holds them to the caller's access policy, runs the {@link StartChecks}
 * (where asked for), stamps this process as the owner ({@link Coordination#ownedParameters}) and starts or restarts
 * through the JobOperator. Every refusal is an {@link AdminException}: 400 with the loader's own message, which the CLI
 * prints as "error: …" with exit code 2; nothing is created then.
 */
public final class LoadLauncher {

    private final Supplier<JobOperator> operator;
    private final AccessPolicy policy;
    private final boolean startChecks;

    /**
     * @param operator    the JobOperator (per call: in WildFly it is the calling deployment's)
     * @param policy      what the caller may reach ({@link AccessPolicy#unrestricted()} for the CLI)
     * @param startChecks whether a start first checks that ClickHouse answers and the token reads the applications
     */
    public LoadLauncher(Supplier<JobOperator> operator, AccessPolicy policy, boolean startChecks) {
        this.operator = operator;
        this.policy = policy;
        this.startChecks = startChecks;
    }

    /**
     * For the runs nobody asks for at that moment (scheduled runs, restarts after a crash): no access policy, as what
     * they run was defined by the operator (a file) or checked against the policy when it was saved (a connection).
     */
    public static LoadLauncher unattended(Supplier<JobOperator> operator) {
        return new LoadLauncher(operator, AccessPolicy.unrestricted(), false);
    }

    /** The parameters' form, the access policy (before any secret is read), then that the token can be found. */
    public LoadSettings validate(Properties all) {
        Properties p = Coordination.loadParameters(all);
        try {
            LoadSettings settings = ParameterCheck.parse(p); // the form only: nothing is read yet
            policy.check(p);
            // a credential store (cs:) is read in the server by the job itself, or by the start checks
            if (!settings.tokenRef().startsWith("cs:")) {
                settings.checkToken();
            }
            return settings;
        } catch (IllegalArgumentException e) {
            throw AdminException.badRequest(SecretMask.text(ParameterCheck.masked(e.getMessage(), p)));
        }
    }

    /** ClickHouse answers with the URL and credentials, the token is accepted and reads every application. */
    public void check(LoadSettings settings) {
        try {
            StartChecks.require(settings);
        } catch (IllegalArgumentException e) {
            throw AdminException.badRequest(SecretMask.text(e.getMessage()));
        }
    }

    /** Starts {@code appmetrica-load}; returns the new execution's id. */
    public long start(Properties parameters) {
        LoadSettings settings = validate(parameters);
        if (startChecks) {
            check(settings);
            org.appmetrica.loader.config.Timeline.mark("start checks done (ClickHouse, token, applications)");
        }
        return startValidated(parameters);
    }

    /**
     * Starts {@code appmetrica-load} once the caller ran {@link #validate} and {@link #check} itself (the CLI runs the
     * checks while it opens the repository).
     */
    public long startChecked(Properties parameters) {
        validate(parameters);
        return startValidated(parameters);
    }

    private long startValidated(Properties parameters) {
        try {
            long id = operator.get().start(Jobs.LOAD_JOB, Coordination.ownedParameters(parameters));
            org.appmetrica.loader.config.Timeline.mark("execution " + id + " started");
            return id;
        } catch (JobStartException e) {
            throw new AdminException(500, "start-failed", "the job could not be started: " + message(e), e);
        }
    }

    /**
     * Restarts execution {@code id} (the newest of its job instance) with {@code parameters}, the ones it ran with and
     * the overrides; a load's are validated as a start's. Returns the new execution's id.
     */
    public long restart(long id, Properties parameters) {
        JobOperator op = operator.get();
        try {
            if (Jobs.LOAD_JOB.equals(op.getJobInstance(id).getJobName())) {
                validate(parameters);
            }
            return op.restart(id, Coordination.ownedParameters(parameters));
        } catch (JobExecutionAlreadyCompleteException | JobExecutionNotMostRecentException e) {
            throw AdminException.conflict("execution " + id + " cannot be restarted: " + message(e));
        } catch (JobRestartException e) {
            throw AdminException.conflict("execution " + id + " cannot be restarted: " + message(e));
        } catch (NoSuchJobExecutionException e) {
            throw AdminException.notFound("no execution " + id);
        }
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        for (Throwable c = e.getCause(); (m == null || m.isBlank()) && c != null; c = c.getCause()) {
            m = c.getMessage();
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
