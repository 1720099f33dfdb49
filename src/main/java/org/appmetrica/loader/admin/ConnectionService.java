package org.appmetrica.loader.admin;

import org.appmetrica.loader.connection.Connection;
import org.appmetrica.loader.connection.ConnectionData;
import org.appmetrica.loader.connection.ConnectionStore;
import org.appmetrica.loader.connection.EditPlan;
import org.appmetrica.loader.connection.StoredConnection;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.regular.RegularLoadDefinition;
import org.appmetrica.loader.regular.RegularLoadRunner;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The operations on connections, the same for the CLI ({@code connections …}, whose {@code --json} prints these
 * answers) and the REST API ({@code /api/connections…}). Errors are {@link AdminException}s with the REST status.
 */
public final class ConnectionService {

    private final ConnectionStore store;
    private final Supplier<JobOperator> operator;
    private final Properties defaults;
    private final Clock clock;
    /** covers by connection name, kept while its last run, status and definition stay the same (they only change then) */
    private final Map<String, CachedCovers> covers = new ConcurrentHashMap<>();

    private record CachedCovers(String key, ConnectionView.Covers value) {
    }

    /** An edit's answer: the plan, and unless it was a dry run the connection as saved. */
    public record Edited(@JsonInclude(JsonInclude.Include.NON_NULL) ConnectionView connection, EditPlan plan) {
    }

    public record Deleted(String deleted, boolean dataDropped) {
    }

    /** @param defaults job parameters under every connection's (the spool directory) */
    public ConnectionService(ConnectionStore store, Supplier<JobOperator> operator, Properties defaults, Clock clock) {
        this.store = store;
        this.operator = operator;
        this.defaults = defaults;
        this.clock = clock;
    }

    public ConnectionStore store() {
        return store;
    }

    public List<ConnectionView> list() {
        return store.list().stream().map(this::view).toList();
    }

    public ConnectionView show(String name) {
        return view(stored(name));
    }

    public ConnectionView add(Connection connection) {
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
    public Edited edit(String name, Connection edited, boolean dryRun, boolean dropRemoved) {
        StoredConnection old = stored(name);
        Connection body = edited.name() == null ? edited.withName(name) : edited;
        if (!name.equals(body.name())) {
            throw new AdminException(400, "bad-request", "name='" + body.name() + "': a connection keeps its name (" + name + ")");
        }
        Connection c = valid(body);
        EditPlan plan = EditPlan.of(old.connection(), c);
        if (dryRun) {
            return new Edited(null, plan);
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
        return new Edited(show(name), plan);
    }

    public ConnectionView pause(String name) {
        stored(name);
        store.setPaused(name, true);
        return show(name);
    }

    public ConnectionView resume(String name) {
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

    public Deleted delete(String name, boolean dropData) {
        StoredConnection s = stored(name);
        if (dropData) {
            new ConnectionData(s.connection().definition(defaults)).dropAll();
        }
        store.delete(name);
        covers.remove(name);
        return new Deleted(name, dropData);
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

    /** The connection with the read-only fields: state, reason, lastRun, covers (nextRun and progress: see ConnectionCommands). */
    private ConnectionView view(StoredConnection s) {
        JobExecution last = lastExecution(s.lastExecution());
        return ConnectionView.of(s, last, covers(s, last));
    }

    /**
     * The days loaded from the target's {@code _load_state}, or null (nothing recorded, or the target not readable
     * now). Read again only when the last run, its status or the connection changed, as the runner records days when
     * a run ends and an edit may forget them.
     */
    private ConnectionView.Covers covers(StoredConnection s, JobExecution last) {
        String key = s.lastExecution() + ":" + (last == null ? null : last.getBatchStatus()) + ":" + s.updated() + ":" + s.connection().toJson();
        CachedCovers cached = covers.get(s.name());
        if (cached != null && cached.key().equals(key)) {
            return cached.value();
        }
        ConnectionView.Covers value;
        try {
            value = new ConnectionData(s.connection().definition(defaults)).covers()
                    .map(days -> new ConnectionView.Covers(days[0].toString(), days[1].toString())).orElse(null);
        } catch (RuntimeException e) {
            return null; // not cached: the target may be back at the next look
        }
        if (value != null || last == null || last.getBatchStatus() != BatchStatus.COMPLETED) {
            // a completed run records its days just after it ends: until they are there, read again
            covers.put(s.name(), new CachedCovers(key, value));
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
