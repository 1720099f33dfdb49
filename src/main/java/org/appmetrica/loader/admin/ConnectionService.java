package org.appmetrica.loader.admin;

import org.appmetrica.loader.connection.Connection;
import org.appmetrica.loader.connection.ConnectionData;
import org.appmetrica.loader.connection.ConnectionStore;
import org.appmetrica.loader.connection.EditPlan;
import org.appmetrica.loader.connection.StoredConnection;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.regular.RegularLoadDefinition;
import org.appmetrica.loader.regular.RegularLoadRunner;

import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The operations on connections, the same for the CLI ({@code connections …}, whose {@code --json} prints these
 * answers) and the REST API ({@code /api/connections…}). Errors are {@link AdminException}s with the REST status.
 */
public final class ConnectionService {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ConnectionStore store;
    private final Supplier<JobOperator> operator;
    private final Properties defaults;
    private final Clock clock;
    private Function<String, String> nextRun = name -> null;
    /** covers by connection name, kept while its last run, status and definition stay the same (they only change then) */
    private final Map<String, Covers> covers = new ConcurrentHashMap<>();

    private record Covers(String key, Map<String, Object> value) {
    }

    /** @param defaults job parameters under every connection's (the spool directory) */
    public ConnectionService(ConnectionStore store, Supplier<JobOperator> operator, Properties defaults, Clock clock) {
        this.store = store;
        this.operator = operator;
        this.defaults = defaults;
        this.clock = clock;
    }

    /** Where a scheduler runs the connections: its next run time (ISO instant) by name, or null. */
    public ConnectionService nextRun(Function<String, String> nextRun) {
        this.nextRun = nextRun;
        return this;
    }

    public ConnectionStore store() {
        return store;
    }

    public List<Map<String, Object>> list() {
        return store.list().stream().map(this::view).toList();
    }

    public Map<String, Object> show(String name) {
        return view(stored(name));
    }

    public Map<String, Object> add(Connection connection) {
        Connection c = valid(connection);
        if (!store.add(c)) {
            throw new AdminException(409, "conflict", "a connection named " + c.name() + " exists already");
        }
        return show(c.name());
    }

    /**
     * Plans an edit and, unless {@code dryRun}, saves it and does what the plan says to the data: a full reload or a
     * fresh target forgets the recorded days (a later load-from drops the earlier ones first); with {@code dropRemoved}
     * the data of removed applications and sources is dropped.
     */
    public Map<String, Object> edit(String name, Connection edited, boolean dryRun, boolean dropRemoved) {
        StoredConnection old = stored(name);
        Connection body = edited.name() == null ? edited.withName(name) : edited;
        if (!name.equals(body.name())) {
            throw new AdminException(400, "bad-request", "name='" + body.name() + "': a connection keeps its name (" + name + ")");
        }
        Connection c = valid(body);
        EditPlan plan = EditPlan.of(old.connection(), c);
        Map<String, Object> answer = new LinkedHashMap<>();
        if (dryRun) {
            answer.put("plan", plan);
            return answer;
        }
        RegularLoadDefinition before = old.connection().definition(defaults);
        RegularLoadDefinition after = c.definition(defaults);
        if (dropRemoved && plan.has(EditPlan.OFFER_DROP)) {
            new ConnectionData(before).dropRemoved(minus(old.connection().applications(), c.applications()),
                    minus(old.connection().sources().keySet(), c.sources().keySet()));
        }
        if (plan.has(EditPlan.FULL_RELOAD) || plan.has(EditPlan.FRESH_TARGET)) {
            new ConnectionData(after).fullReload(plan.has(EditPlan.DROP_DAYS_BEFORE));
        }
        store.replace(c);
        answer.put("connection", show(name));
        answer.put("plan", plan);
        return answer;
    }

    public Map<String, Object> pause(String name) {
        stored(name);
        store.setPaused(name, true);
        return show(name);
    }

    public Map<String, Object> resume(String name) {
        stored(name);
        store.setPaused(name, false);
        return show(name);
    }

    /** Runs what is due now on the calling thread; empty when nothing was due. */
    public Optional<JobExecution> run(String name, LongConsumer started) throws InterruptedException {
        StoredConnection s = stored(name);
        if (s.paused()) {
            throw new AdminException(409, "conflict", "connection " + name + " is paused: resume it first");
        }
        RegularLoadDefinition definition = s.connection().definition(defaults);
        LoadLauncher launcher = LoadLauncher.unattended(operator);
        launcher.check(definition.settings()); // before the run plans in ClickHouse: a failure creates no execution
        return new RegularLoadRunner(operator.get(), clock, launcher::start).runOnce(definition, id -> {
            store.recordRun(name, id);
            started.accept(id);
        });
    }

    public Map<String, Object> delete(String name, boolean dropData) {
        StoredConnection s = stored(name);
        if (dropData) {
            new ConnectionData(s.connection().definition(defaults)).dropAll();
        }
        store.delete(name);
        covers.remove(name);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("deleted", name);
        answer.put("dataDropped", dropData);
        return answer;
    }

    /** The definitions of the connections that are not paused, for a scheduler. */
    public List<RegularLoadDefinition> activeDefinitions() {
        return store.list().stream().filter(s -> !s.paused()).map(s -> s.connection().definition(defaults)).toList();
    }

    /** The definition of the connection while it exists and is not paused (a scheduler re-reads it before each run). */
    public Optional<RegularLoadDefinition> activeDefinition(String name) {
        return store.find(name).filter(s -> !s.paused()).map(s -> s.connection().definition(defaults));
    }

    public RegularLoadDefinition definition(String name) {
        return stored(name).connection().definition(defaults);
    }

    private StoredConnection stored(String name) {
        return store.find(name).orElseThrow(() -> new AdminException(404, "not-found", "no connection named " + name));
    }

    private static Connection valid(Connection c) {
        try {
            return c.validated();
        } catch (IllegalArgumentException e) {
            throw new AdminException(400, "bad-request", e.getMessage());
        }
    }

    private static <T> Set<T> minus(Iterable<T> a, Iterable<T> b) {
        Set<T> result = new HashSet<>();
        a.forEach(result::add);
        b.forEach(result::remove);
        return result;
    }

    /** The connection's JSON with the read-only fields: state, reason, lastRun, nextRun, covers. */
    private Map<String, Object> view(StoredConnection s) {
        Map<String, Object> v = MAPPER.convertValue(s.connection(), new TypeReference<LinkedHashMap<String, Object>>() { });
        JobExecution last = lastExecution(s.lastExecution());
        String state;
        String reason = null;
        if (s.paused()) {
            state = "paused";
        } else if (last == null) {
            state = "new";
        } else if (last.getBatchStatus() == BatchStatus.COMPLETED) {
            state = "up-to-date";
        } else if (last.getBatchStatus() == BatchStatus.STARTING || last.getBatchStatus() == BatchStatus.STARTED) {
            state = "loading";
        } else if (last.getBatchStatus() == BatchStatus.STOPPED || last.getBatchStatus() == BatchStatus.STOPPING) {
            state = "stopped"; // as a user asked: no failure, a restart continues it
            reason = "execution " + last.getExecutionId() + " was stopped; restart it to continue";
        } else {
            state = "failed";
            String exit = last.getExitStatus();
            reason = exit == null || exit.equals(String.valueOf(last.getBatchStatus())) ? String.valueOf(last.getBatchStatus())
                    : exit.startsWith("FAILED: ") ? exit.substring("FAILED: ".length()) : exit;
        }
        v.put("state", state);
        if (reason != null) {
            v.put("reason", reason);
        }
        Map<String, Object> lastRun = null;
        if (last != null) {
            lastRun = new LinkedHashMap<>();
            lastRun.put("executionId", last.getExecutionId());
            lastRun.put("status", String.valueOf(last.getBatchStatus()));
            lastRun.put("ended", last.getEndTime() == null ? null : last.getEndTime().toInstant().toString());
        }
        v.put("lastRun", lastRun);
        v.put("nextRun", s.paused() || !s.connection().isRegular() ? null : nextRun.apply(s.name())); // one-time: runs once, now
        v.put("covers", covers(s, last));
        return v;
    }

    /**
     * The days loaded ({from, to}) from the target's {@code _load_state}, or null (nothing recorded, or the target not
     * readable now). Read again only when the last run, its status or the connection changed, as the runner records
     * days when a run ends and an edit may forget them.
     */
    private Map<String, Object> covers(StoredConnection s, JobExecution last) {
        String key = s.lastExecution() + ":" + (last == null ? null : last.getBatchStatus()) + ":" + s.updated() + ":" + s.connection().toJson();
        Covers cached = covers.get(s.name());
        if (cached != null && cached.key().equals(key)) {
            return cached.value();
        }
        Map<String, Object> value;
        try {
            value = new ConnectionData(s.connection().definition(defaults)).covers().map(days -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("from", days[0].toString());
                m.put("to", days[1].toString());
                return m;
            }).orElse(null);
        } catch (RuntimeException e) {
            return null; // not cached: the target may be back at the next look
        }
        if (value != null || last == null || last.getBatchStatus() != BatchStatus.COMPLETED) {
            // a completed run records its days just after it ends: until they are there, read again
            covers.put(s.name(), new Covers(key, value));
        }
        return value;
    }

    private JobExecution lastExecution(Long id) {
        if (id == null) {
            return null;
        }
        try {
            return operator.get().getJobExecution(id);
        } catch (RuntimeException e) {
            return null; // the execution was removed from the repository
        }
    }
}
