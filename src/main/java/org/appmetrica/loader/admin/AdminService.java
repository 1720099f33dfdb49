package org.appmetrica.loader.admin;

import jakarta.batch.operations.JobExecutionAlreadyCompleteException;
import jakarta.batch.operations.JobExecutionIsRunningException;
import jakarta.batch.operations.JobExecutionNotMostRecentException;
import jakarta.batch.operations.JobExecutionNotRunningException;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.JobRestartException;
import jakarta.batch.operations.JobStartException;
import jakarta.batch.operations.NoSuchJobExecutionException;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.JobInstance;
import org.appmetrica.loader.admin.Views.Catalog;
import org.appmetrica.loader.admin.Views.ExecutionDetail;
import org.appmetrica.loader.admin.Views.ExecutionView;
import org.appmetrica.loader.admin.Views.JobView;
import org.appmetrica.loader.admin.Views.Progress;
import org.appmetrica.loader.admin.Views.ScheduleView;
import org.appmetrica.loader.admin.Views.SourceView;
import org.appmetrica.loader.config.SecretRef;
import org.appmetrica.loader.connection.Connection;
import org.appmetrica.loader.admin.ConnectionService;
import org.appmetrica.loader.connection.StoredConnection;
import org.appmetrica.loader.coordination.Coordination;
import org.appmetrica.loader.coordination.CrashedExecutions;
import org.appmetrica.loader.logsapi.ApplicationsList;
import org.appmetrica.loader.logsapi.ExportSpool;
import org.appmetrica.loader.model.Jobs;
import org.appmetrica.loader.model.LoadParameters;
import org.appmetrica.loader.model.LoadParametersBuilder;
import org.appmetrica.loader.model.LoadSettings;
import org.appmetrica.loader.regular.RegularLoadDefinition;
import org.appmetrica.loader.regular.Scheduler;
import org.appmetrica.loader.schema.FieldCatalog;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The admin console's one service over the Jakarta Batch {@link JobOperator}: what the REST API (JAX-RS, in the WAR and,
 * on RESTEasy with Undertow, in standalone {@code console}) and the CLI's {@code --json} serve, so that all three behave the same.
 * Errors are {@link AdminException}s carrying the HTTP status: 400 bad parameters, 404 unknown execution, 409 wrong
 * state. No secret is ever resolved for display: parameters are secret references, shown as such.
 */
public final class AdminService {

    private static final Logger LOG = Logger.getLogger(AdminService.class.getName());
    private static final Duration APPLICATIONS_TIMEOUT = Duration.ofSeconds(20);


    private final Supplier<JobOperator> operator;
    private final ExecutionViews views;
    private final Properties startDefaults;
    private final Scheduler regular;
    private volatile AccessPolicy policy = AccessPolicy.unrestricted();
    private volatile Runnable beforeRead = () -> { };
    private volatile ConnectionService connections;
    private volatile TokenFiles tokenFiles;
    private volatile String oauthClientId;

    /**
     * @param operator      the JobOperator (per call: in WildFly it is the calling deployment's)
     * @param startDefaults parameters a start adds when they are not given (standalone: spoolDir under --data-dir)
     * @param regular       runs the regular loads started here, or null where they are not offered
     */
    public AdminService(Supplier<JobOperator> operator, Properties startDefaults, Scheduler regular) {
        this.operator = operator;
        this.views = new ExecutionViews(operator);
        this.startDefaults = startDefaults == null ? new Properties() : startDefaults;
        this.regular = regular;
    }

    /**
     * Something to do before executions are read, e.g. forget what the runtime cached about ended executions, which
     * another process may have changed since (the standalone console shares its job repository with CLI processes).
     */
    public AdminService beforeRead(Runnable action) {
        this.beforeRead = action == null ? () -> { } : action;
        return this;
    }

    private JobOperator op() {
        return operator.get();
    }

    /** Starts and restarts as the CLI does, held to this service's access policy, checked before a start. */
    private LoadLauncher launcher() {
        return new LoadLauncher(operator, policy, true);
    }

    private void refresh() {
        try {
            beforeRead.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "before reading executions: " + e.getMessage(), e);
        }
        // An execution whose process is gone is shown, and can be restarted, as what it is: FAILED (crashed).
        CrashedExecutions.reconcile();
    }

    // ---------------------------------------------------------------- reads (ExecutionViews)

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





    public Catalog catalog() {
        List<SourceView> sources = new ArrayList<>();
        for (String name : FieldCatalog.get().sourceNames()) {
            sources.add(new SourceView(name, FieldCatalog.get().source(name).orElseThrow().datesRequired()));
        }
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put(LoadParameters.DATE_DIMENSION, LoadParameters.Defaults.DATE_DIMENSION);
        defaults.put(LoadParameters.FORMAT, LoadParameters.Defaults.FORMAT);
        defaults.put(LoadParameters.API_URL, LoadParameters.Defaults.API_URL);
        defaults.put(LoadParameters.TOKEN_REF, LoadParameters.Defaults.TOKEN_REF);
        defaults.put(LoadParameters.CLICKHOUSE_URL, LoadParameters.Defaults.CLICKHOUSE_URL);
        defaults.put(LoadParameters.CLICKHOUSE_DATABASE, LoadParameters.Defaults.CLICKHOUSE_DATABASE);
        startDefaults.stringPropertyNames().forEach(k -> defaults.put(k, SecretMask.text(startDefaults.getProperty(k))));
        return new Catalog(Jobs.LOAD_JOB, sources, LoadParameters.NAMES, defaults, regular != null, connections != null, oauthClientId);
    }

    /** The operator's allow-lists for loads started or restarted through this service (the console, the REST API). */
    public AdminService policy(AccessPolicy policy) {
        this.policy = policy;
        return this;
    }

    /** The OAuth client id for the page's "Get token" link, or null (no link). */
    public AdminService oauthClientId(String clientId) {
        this.oauthClientId = clientId == null || clientId.isBlank() ? null : clientId.trim();
        return this;
    }

    /** Where tokens pasted into the page are stored (the standalone console); without it, storing is not offered. */
    public AdminService tokenFiles(TokenFiles files) {
        this.tokenFiles = files;
        return this;
    }

    // ---------------------------------------------------------------- tokens and applications

    /** Stores a pasted token and answers only its reference, which the allow-lists accept (see AccessPolicy). */
    public Map<String, String> storeToken(String name, String token) {
        TokenFiles files = tokenFiles;
        if (files == null) {
            throw new AdminException(501, "not-available", "tokens are not stored from the page here: put the token in the "
                    + "server's credential store (configure.sh, alias appmetrica-token) and use tokenRef=cs:appmetrica/appmetrica-token");
        }
        return Map.of("tokenRef", files.store(name, token));
    }

    /** The applications the token can read, from the management API; both references held to the allow-lists first. */
    public List<Map<String, Object>> applications(String tokenRef, String apiUrl) {
        if (tokenRef == null || tokenRef.isBlank() || apiUrl == null || apiUrl.isBlank()) {
            throw AdminException.badRequest("tokenRef and apiUrl are both required");
        }
        policy.checkApiUrl(apiUrl);
        policy.checkSecret(LoadParameters.TOKEN_REF, tokenRef); // before the secret is read
        String token;
        try {
            token = SecretRef.resolve(LoadParameters.TOKEN_REF, tokenRef, true);
        } catch (IllegalArgumentException e) {
            throw AdminException.badRequest(SecretMask.text(e.getMessage()));
        }
        try {
            return ApplicationsList.fetch(apiUrl, token, APPLICATIONS_TIMEOUT).stream().map(a -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", a.id());
                m.put("name", a.name());
                return m;
            }).toList();
        } catch (ApplicationsList.Refused e) {
            int status = e.status() == 401 || e.status() == 403 ? 400 : 502;
            throw new AdminException(status, status == 400 ? "bad-request" : "bad-gateway", "tokenRef: " + SecretMask.text(e.getMessage()));
        } catch (IOException e) {
            throw new AdminException(502, "bad-gateway", SecretMask.text(e.getMessage()));
        }
    }

    // ---------------------------------------------------------------- operations

    /** Starts {@code appmetrica-load} with validated parameters (400 with the loader's own message otherwise). */
    public ExecutionView start(Map<String, String> parameters) {
        return execution(launcher().start(withDefaults(parameters))).execution();
    }

    /**
     * Restarts a FAILED or STOPPED execution (the most recent of its job instance) from its checkpoints, with the
     * parameters it ran with and the overrides given (an empty value clears a parameter).
     */
    public ExecutionView restart(long asked, Map<String, String> overrides) {
        execution(asked); // 404 for an unknown id
        long id = Restarts.target(op(), asked); // an execution restarted before: its newest one goes on
        ExecutionDetail detail = execution(id);
        ExecutionView e = detail.execution();
        if (!e.status().equals("FAILED") && !e.status().equals("STOPPED")) {
            throw AdminException.conflict("execution " + id + " is " + e.status() + ": only a FAILED or STOPPED execution can be restarted");
        }
        Properties p = effectiveParameters(id);
        overrides.forEach((k, v) -> p.setProperty(k.trim(), v));
        long newId = launcher().restart(id, p);
        return execution(newId).execution();
    }

    /** Asks a running execution to stop at its next checkpoint; it ends STOPPED and can be restarted. */
    public ExecutionView stop(long id) {
        refresh();
        views.jobExecution(id);
        try {
            op().stop(id);
        } catch (JobExecutionNotRunningException e) {
            throw AdminException.conflict("execution " + id + " is " + views.jobExecution(id).getBatchStatus() + ", not running: nothing to stop");
        } catch (NoSuchJobExecutionException e) {
            throw AdminException.notFound("no execution " + id);
        }
        return execution(id).execution();
    }

    /** Marks an execution that is not running ABANDONED: it is never restarted. */
    public ExecutionView abandon(long id) {
        refresh();
        JobExecution e = views.jobExecution(id);
        if (e.getBatchStatus() == BatchStatus.ABANDONED) {
            throw AdminException.conflict("execution " + id + " is ABANDONED already");
        }
        try {
            op().abandon(id);
        } catch (JobExecutionIsRunningException e1) {
            throw AdminException.conflict("execution " + id + " is " + e.getBatchStatus() + ": stop it first, then abandon it");
        } catch (NoSuchJobExecutionException e1) {
            throw AdminException.notFound("no execution " + id);
        }
        deleteSpool(id);
        return execution(id).execution();
    }

    /** An abandoned instance is never restarted: the raw data it spooled has no further use. */
    private void deleteSpool(long id) {
        JobInstance instance = op().getJobInstance(id);
        if (op().getJobExecutions(instance).stream().anyMatch(x -> x.getExecutionId() > id)) {
            return; // a later execution of the instance owns the spool
        }
        Path spoolDir = Path.of(LoadParameters.value(op().getParameters(id), LoadParameters.SPOOL_DIR, LoadParameters.Defaults.SPOOL_DIR));
        try {
            ExportSpool.deleteInstance(spoolDir, instance.getInstanceId());
        } catch (IOException | RuntimeException e) {
            LOG.warning("execution " + id + " is abandoned, but its spool under " + spoolDir + " could not be deleted: " + e);
        }
    }

    // ---------------------------------------------------------------- connections

    /**
     * Manages the connections of this store; where this service has a scheduler, it runs the active ones: each now
     * (catching up what is due), then a regular one at each scheduled time.
     */
    public AdminService connections(ConnectionService connections) {
        this.connections = connections;
        if (regular != null) {
            regular.onStarted((name, id) -> connections.store().recordRun(name, id));
            connections.nextRun(name -> regular.list().stream().filter(st -> st.definition().name().equals(name) && st.nextRun() != null)
                    .findFirst().map(st -> st.nextRun().toInstant().toString()).orElse(null));
            for (StoredConnection c : connections.store().list()) {
                if (!c.paused()) {
                    scheduleConnection(c.name());
                }
            }
        }
        return this;
    }

    private ConnectionService connectionService() {
        ConnectionService c = connections;
        if (c == null) {
            throw new AdminException(501, "not-available", "connections are not managed here");
        }
        return c;
    }

    /** Runs the connection now; a regular one then on schedule (a one-time one runs once: the scheduler re-reads it). */
    private void scheduleConnection(String name) {
        if (regular == null) {
            return;
        }
        ConnectionService c = connectionService();
        regular.cancel(name);
        c.activeDefinition(name).ifPresent(d -> {
            boolean oneTime = !Connection.REGULAR.equals(c.show(name).get("regularity"));
            Set<String> ran = ConcurrentHashMap.newKeySet();
            // a one-time connection: its first run only; later runs of the entry find it gone and end it
            regular.add(d, n -> oneTime && !ran.add(n) ? Optional.empty() : c.activeDefinition(n));
        });
    }

    private void checkConnection(Connection body) {
        Connection c;
        try {
            c = body.validated();
        } catch (IllegalArgumentException e) {
            throw AdminException.badRequest(SecretMask.text(e.getMessage()));
        }
        policy.check(c.jobParameters(startDefaults));
    }

    public List<Map<String, Object>> connectionList() {
        return connectionService().list().stream().map(this::withProgress).toList();
    }

    public Map<String, Object> connection(String name) {
        return withProgress(connectionService().show(name));
    }

    /** While a connection loads: the slices of its execution done so far, as the executions list counts them. */
    private Map<String, Object> withProgress(Map<String, Object> view) {
        Map<String, Object> progress = null;
        if ("loading".equals(view.get("state")) && view.get("lastRun") instanceof Map<?, ?> last && last.get("executionId") instanceof Number id) {
            try {
                Progress p = execution(id.longValue()).execution().progress();
                if (p != null) {
                    progress = new LinkedHashMap<>();
                    progress.put("slicesDone", p.completed() + p.earlier());
                    progress.put("slicesTotal", p.planned());
                }
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "progress of execution " + id, e); // the view without it
            }
        }
        view.put("progress", progress);
        return view;
    }

    /** The console's "Test connection": which of the start checks pass for the form's connection (see ConnectionCheck). */
    public Map<String, Object> testConnection(Connection body) {
        return ConnectionCheck.test(body, startDefaults, policy);
    }

    public Map<String, Object> createConnection(Connection body) {
        checkConnection(body);
        connectionService().add(body);
        scheduleConnection(body.name());
        return connection(body.name());
    }

    public Map<String, Object> editConnection(String name, Connection body, boolean dryRun) {
        Connection named = body.name() == null ? body.withName(name) : body;
        checkConnection(named); // the allow-lists, before anything is planned or saved
        Map<String, Object> answer = connectionService().edit(name, named, dryRun, false);
        if (!dryRun) {
            if (Connection.REGULAR.equals(connection(name).get("regularity"))) {
                scheduleConnection(name); // at once (catching up what the edit made due), then at its new times
            } else if (regular != null) {
                regular.cancel(name); // one-time: it runs when asked (run)
            }
            answer.put("connection", connection(name));
        }
        return answer;
    }

    public Map<String, Object> pauseConnection(String name) {
        Map<String, Object> view = connectionService().pause(name);
        if (regular != null) {
            regular.cancel(name);
        }
        stopRunning(view);
        return connection(name);
    }

    public Map<String, Object> resumeConnection(String name) {
        connectionService().resume(name);
        scheduleConnection(name);
        return connection(name);
    }

    public Map<String, Object> runConnection(String name) {
        Map<String, Object> view = connectionService().show(name);
        if ("paused".equals(view.get("state"))) {
            throw AdminException.conflict("connection " + name + " is paused: resume it first");
        }
        if ("loading".equals(view.get("state"))) {
            throw AdminException.conflict("connection " + name + " is loading already");
        }
        if (regular == null) {
            throw new AdminException(501, "not-available", "connections are run by the standalone console or the schedule command, not here");
        }
        scheduleConnection(name);
        return connection(name);
    }

    public Map<String, Object> deleteConnection(String name, boolean dropData) {
        Map<String, Object> view = connectionService().show(name);
        if (regular != null) {
            regular.cancel(name);
        }
        stopRunning(view);
        Map<String, Object> answer = connectionService().delete(name, dropData);
        forgetToken(view.get("tokenRef"));
        return answer;
    }

    /** A token stored from the page goes with the last connection that uses it. */
    private void forgetToken(Object tokenRef) {
        TokenFiles files = tokenFiles;
        if (files == null || !(tokenRef instanceof String ref)
                || connectionService().list().stream().anyMatch(c -> ref.equals(c.get("tokenRef")))) {
            return;
        }
        files.forget(ref);
    }

    /** Stops the connection's execution if it is running (it ends STOPPED at its next checkpoint). */
    private void stopRunning(Map<String, Object> view) {
        if (view.get("lastRun") instanceof Map<?, ?> last && ("STARTED".equals(last.get("status")) || "STARTING".equals(last.get("status")))) {
            try {
                op().stop(((Number) last.get("executionId")).longValue());
            } catch (RuntimeException e) {
                LOG.info("could not stop execution " + last.get("executionId") + ": " + e.getMessage());
            }
        }
    }

    // ---------------------------------------------------------------- regular loads

    public List<ScheduleView> schedules() {
        // a one-time connection runs through the scheduler once, but is no regular load
        return regular == null ? List.of() : regular.list().stream().filter(d -> !oneTimeConnection(d.definition().name())).map(AdminService::view).toList();
    }

    private boolean oneTimeConnection(String name) {
        ConnectionService c = connections;
        return c != null && c.store().find(name).map(s -> !s.connection().isRegular()).orElse(false);
    }

    public ScheduleView schedule(Map<String, String> definition) {
        if (regular == null) {
            throw new AdminException(501, "not-available", "regular loads are run by the standalone console (java -jar appmetrica-loader.jar console) "
                    + "or the schedule command, not here");
        }
        Properties p = withDefaults(definition);
        checkSecretNames(p);
        policy.check(p);
        RegularLoadDefinition parsed;
        try {
            parsed = RegularLoadDefinition.parse(p);
        } catch (IllegalArgumentException e) {
            throw AdminException.badRequest(SecretMask.text(e.getMessage()));
        }
        return view(regular.add(parsed).orElseThrow(
                () -> AdminException.conflict("a regular load named " + parsed.name() + " runs already: cancel it first")));
    }

    /** The start defaults, the given parameters over them. */
    private Properties withDefaults(Map<String, String> parameters) {
        LoadParametersBuilder p = LoadParameters.builder().setAll(startDefaults);
        parameters.forEach((k, v) -> p.set(k.trim(), v));
        return p.build();
    }

    /** Cancels every regular load of this service (the process or deployment ends). */
    public void shutdown() {
        if (regular != null) {
            regular.shutdown();
        }
    }

    public ScheduleView cancelSchedule(String name) {
        if (regular == null) {
            throw AdminException.notFound("no regular load " + name);
        }
        return view(regular.cancel(name).orElseThrow(() -> AdminException.notFound("no regular load " + name)));
    }

    private static ScheduleView view(Scheduler.Status s) {
        RegularLoadDefinition d = s.definition();
        String schedule = d.schedule().dailyAt() != null ? "daily " + d.schedule().dailyAt() : "every " + d.schedule().every().toHours() + " h";
        return new ScheduleView(d.name(), schedule + " (" + d.schedule().zone() + ")", d.loadFrom().toString(), d.reloadWindowDays(),
                d.includeToday(), SecretMask.parameters(d.jobParameters()), s.state(), s.nextRun() == null ? null : s.nextRun().toInstant().toString(),
                s.lastExecution(), s.lastStatus(), SecretMask.text(s.lastError()));
    }

    // ---------------------------------------------------------------- helpers






    private static void checkSecretNames(Properties p) {
        for (String name : p.stringPropertyNames()) {
            if (SecretMask.secretName(name)) {
                throw AdminException.badRequest("job parameter " + name + " looks like a secret; secrets are never job parameters "
                        + "(they would be stored in the job repository and shown here): pass tokenRef=env:APPMETRICA_TOKEN or "
                        + "clickhousePasswordRef=env:NAME instead");
            }
        }
    }

















    private static String message(Throwable e) {
        String m = e.getMessage();
        Throwable c = e.getCause();
        while ((m == null || m.isBlank()) && c != null) {
            m = c.getMessage();
            c = c.getCause();
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
