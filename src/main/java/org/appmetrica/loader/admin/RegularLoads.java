package org.appmetrica.loader.admin;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.admin.Views.ScheduleView;
import org.appmetrica.loader.regular.RegularLoadDefinition;
import org.appmetrica.loader.regular.RegularLoadRunner;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Regular loads started from the console: each runs like the {@code schedule} command (the same
 * {@link RegularLoadRunner}: the first run at once, then at every scheduled time) on the given scheduled executor
 * (standalone: the console's own; WildFly: the default managed scheduled executor), one run at a time, until cancelled. They live in the console process: a restart of the process forgets them (the days they loaded are
 * kept in ClickHouse's {@code _load_state}, so a regular load added again continues where it was).
 */
public final class RegularLoads {

    private static final Logger LOG = Logger.getLogger("org.appmetrica.loader.progress");

    private final Supplier<JobOperator> operator;
    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public RegularLoads(Supplier<JobOperator> operator, ScheduledExecutorService executor, Clock clock) {
        this.operator = operator;
        this.executor = executor;
        this.clock = clock;
    }

    private static final class Entry {
        final RegularLoadDefinition definition;
        volatile String state = "starting";
        volatile ZonedDateTime nextRun;
        volatile Long lastExecution;
        volatile String lastStatus;
        volatile String lastError;
        volatile boolean cancelled;
        volatile Future<?> future;

        Entry(RegularLoadDefinition definition) {
            this.definition = definition;
        }
    }

    ScheduleView add(Properties p) {
        RegularLoadDefinition definition;
        try {
            definition = RegularLoadDefinition.parse(p);
        } catch (IllegalArgumentException e) {
            throw AdminException.badRequest(SecretMask.text(e.getMessage()));
        }
        Entry entry = new Entry(definition);
        if (entries.putIfAbsent(definition.name(), entry) != null) {
            throw AdminException.conflict("a regular load named " + definition.name() + " runs already: cancel it first");
        }
        entry.future = executor.schedule(() -> run(entry), 0, TimeUnit.MILLISECONDS);
        return view(entry);
    }

    List<ScheduleView> list() {
        List<ScheduleView> list = new ArrayList<>();
        entries.values().stream().sorted((a, b) -> a.definition.name().compareTo(b.definition.name())).forEach(e -> list.add(view(e)));
        return list;
    }

    ScheduleView cancel(String name) {
        Entry e = entries.remove(name);
        if (e == null) {
            throw AdminException.notFound("no regular load " + name);
        }
        e.cancelled = true;
        e.state = "cancelled";
        Future<?> f = e.future;
        if (f != null) {
            f.cancel(true); // wakes the wait; a running execution goes on (stop it like any other)
        }
        return view(e);
    }

    /** Cancels every regular load (process shutdown). */
    public void shutdown() {
        for (String name : List.copyOf(entries.keySet())) {
            cancel(name);
        }
    }

    /** One run, then the next one scheduled: the first at once (it catches up what is due), then at each scheduled time. */
    private void run(Entry e) {
        if (e.cancelled) {
            return;
        }
        String name = e.definition.name();
        e.state = "running";
        try {
            Optional<JobExecution> run = new RegularLoadRunner(operator.get(), clock).runOnce(e.definition);
            if (run.isPresent()) {
                e.lastExecution = run.get().getExecutionId();
                e.lastStatus = String.valueOf(run.get().getBatchStatus());
                e.lastError = null;
            } else {
                e.lastStatus = "nothing due";
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException ex) {
            e.lastError = SecretMask.text(String.valueOf(ex.getMessage()));
            LOG.info(name + ": run failed: " + e.lastError + "; trying again at the next scheduled time");
        }
        if (e.cancelled) {
            return;
        }
        ZonedDateTime next = e.definition.schedule().next(ZonedDateTime.now(clock));
        e.nextRun = next;
        e.state = "waiting";
        LOG.info(name + ": next run at " + next);
        e.future = executor.schedule(() -> run(e), Math.max(0, Duration.between(ZonedDateTime.now(clock), next).toMillis()),
                TimeUnit.MILLISECONDS);
    }

    private static ScheduleView view(Entry e) {
        RegularLoadDefinition d = e.definition;
        String schedule = d.schedule().dailyAt() != null ? "daily " + d.schedule().dailyAt() : "every " + d.schedule().every().toHours() + " h";
        return new ScheduleView(d.name(), schedule + " (" + d.schedule().zone() + ")", d.loadFrom().toString(), d.reloadWindowDays(),
                d.includeToday(), SecretMask.parameters(d.jobParameters()), e.state, e.nextRun == null ? null : e.nextRun.toInstant().toString(),
                e.lastExecution, e.lastStatus, e.lastError);
    }
}
