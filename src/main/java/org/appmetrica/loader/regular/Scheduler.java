package org.appmetrica.loader.regular;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ObjLongConsumer;
import java.util.function.Supplier;

/**
 * Runs regular loads for the {@code schedule} command, the console and the server: each definition at once (that run
 * catches up what is due, also what a stopped process missed), then at every scheduled time, one run at a time per
 * definition, until cancelled. The caller brings the threads (a plain scheduled executor standalone, the managed one in
 * WildFly), the definitions and where the lines about runs go.
 */
public final class Scheduler {

    private final Supplier<JobOperator> operator;
    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final RegularLoadRunner.Starter starter;
    private final Consumer<String> report;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile ObjLongConsumer<String> started = (name, id) -> { };

    /**
     * @param operator per run (in WildFly it is the calling deployment's)
     * @param starter  starts each run's execution: admin.LoadLauncher's start
     * @param report   takes a line per run outcome and next run time
     */
    public Scheduler(Supplier<JobOperator> operator, RegularLoadRunner.Starter starter, ScheduledExecutorService executor, Clock clock,
                     Consumer<String> report) {
        this.operator = operator;
        this.starter = starter;
        this.executor = executor;
        this.clock = clock;
        this.report = report;
    }

    /** Takes a load's name and the execution id each time one of its runs starts an execution. */
    public Scheduler onStarted(ObjLongConsumer<String> started) {
        this.started = started;
        return this;
    }

    /** What a scheduled load did last and does next. */
    public record Status(RegularLoadDefinition definition, String state, ZonedDateTime nextRun, Long lastExecution, String lastStatus,
                         String lastError) {
    }

    private static final class Entry {
        volatile RegularLoadDefinition definition;
        final Function<String, Optional<RegularLoadDefinition>> refresh;
        volatile String state = "starting";
        volatile ZonedDateTime nextRun;
        volatile Long lastExecution;
        volatile String lastStatus;
        volatile String lastError;
        volatile boolean cancelled;
        volatile Future<?> future;

        Entry(RegularLoadDefinition definition, Function<String, Optional<RegularLoadDefinition>> refresh) {
            this.definition = definition;
            this.refresh = refresh;
        }

        Status status() {
            return new Status(definition, state, nextRun, lastExecution, lastStatus, lastError);
        }
    }

    /** Schedules the load; its first run starts at once. Empty when a load of that name is scheduled already. */
    public Optional<Status> add(RegularLoadDefinition definition) {
        return add(definition, null);
    }

    /**
     * As {@link #add(RegularLoadDefinition)}; before each run the definition is read again from {@code refresh} (a
     * durable store other processes edit): an edit applies from the next run, and a load that is gone from it (paused,
     * deleted) is cancelled.
     */
    public Optional<Status> add(RegularLoadDefinition definition, Function<String, Optional<RegularLoadDefinition>> refresh) {
        Entry entry = new Entry(definition, refresh);
        if (entries.putIfAbsent(definition.name(), entry) != null) {
            return Optional.empty();
        }
        entry.future = executor.schedule(() -> run(entry), 0, TimeUnit.MILLISECONDS);
        return Optional.of(entry.status());
    }

    public List<Status> list() {
        return entries.values().stream().map(Entry::status).sorted(Comparator.comparing(s -> s.definition().name())).toList();
    }

    /**
     * Cancels the load: a wait ends; a running execution goes on (stop it like any other). Empty when there is none. The
     * run's thread is not interrupted: an interrupt inside an embedded H2 call would close the job repository for the
     * whole process; the run checks the flag instead, before it starts an execution and while it waits for one.
     */
    public Optional<Status> cancel(String name) {
        Entry e = entries.remove(name);
        if (e == null) {
            return Optional.empty();
        }
        e.cancelled = true;
        e.state = "cancelled";
        Future<?> f = e.future;
        if (f != null) {
            f.cancel(false);
        }
        return Optional.of(e.status());
    }

    /** Cancels every load (the process or deployment ends). */
    public void shutdown() {
        List.copyOf(entries.keySet()).forEach(this::cancel);
    }

    /** One run on the calling thread, reported like a scheduled one ({@code schedule --once}). */
    public void runNow(RegularLoadDefinition definition) throws InterruptedException {
        runOnce(new Entry(definition, null));
    }

    private void run(Entry e) {
        if (e.cancelled) {
            return;
        }
        if (e.refresh != null) {
            Optional<RegularLoadDefinition> now = e.refresh.apply(e.definition.name());
            if (now.isEmpty()) {
                entries.remove(e.definition.name(), e); // not cancel(): this entry is the very run that is ending
                e.cancelled = true;
                e.state = "cancelled";
                report.accept(e.definition.name() + ": paused or deleted: no more scheduled runs");
                return;
            }
            e.definition = now.get();
        }
        // known before the run: whoever sees it end sees when the next one comes (set again after, in case it ran long)
        e.nextRun = e.definition.schedule().next(ZonedDateTime.now(clock));
        try {
            runOnce(e);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return;
        }
        if (e.cancelled) {
            return;
        }
        ZonedDateTime next = e.definition.schedule().next(ZonedDateTime.now(clock));
        e.nextRun = next;
        e.state = "waiting";
        report.accept(e.definition.name() + ": next run at " + next);
        long delay = Math.max(0, Duration.between(ZonedDateTime.now(clock), next).toMillis());
        e.future = executor.schedule(() -> run(e), delay, TimeUnit.MILLISECONDS);
    }

    private void runOnce(Entry e) throws InterruptedException {
        String name = e.definition.name();
        e.state = "running";
        try {
            Optional<JobExecution> run = new RegularLoadRunner(operator.get(), clock, starter).runOnce(e.definition, id -> started.accept(name, id),
                    () -> e.cancelled);
            if (run.isPresent()) {
                JobExecution x = run.get();
                e.lastExecution = x.getExecutionId();
                e.lastStatus = String.valueOf(x.getBatchStatus());
                e.lastError = null;
                report.accept(name + ": execution " + x.getExecutionId() + " " + x.getBatchStatus()
                        + (x.getBatchStatus() == BatchStatus.COMPLETED ? "" : " (" + x.getExitStatus() + ")"));
            } else {
                e.lastStatus = "nothing due";
            }
        } catch (RuntimeException ex) {
            e.lastError = String.valueOf(ex.getMessage());
            report.accept(name + ": run failed: " + e.lastError + "; trying again at the next scheduled time");
        }
    }
}
