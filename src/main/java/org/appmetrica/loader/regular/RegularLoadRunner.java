package org.appmetrica.loader.regular;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.ClickHouseTarget;
import org.appmetrica.loader.clickhouse.Identifiers;
import org.appmetrica.loader.clickhouse.SchemaManager;
import org.appmetrica.loader.clickhouse.SliceTables;
import org.appmetrica.loader.clickhouse.TableLayout;
import org.appmetrica.loader.coordination.AutoRestart;
import org.appmetrica.loader.model.Jobs;
import org.appmetrica.loader.model.LoadParameters;
import org.appmetrica.loader.schema.FieldCatalog;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.logging.Logger;

/**
 * One run of a regular load: plan the due days, drop the days no longer wanted, run {@code appmetrica-load} for the due
 * range (each day replaced atomically by the job), then record the loaded days in {@code _load_state}.
 */
public final class RegularLoadRunner {

    private static final Logger LOG = Logger.getLogger("org.appmetrica.loader.progress");

    /** Starts the load job with the parameters and returns the execution's id (admin.LoadLauncher's start). */
    @FunctionalInterface
    public interface Starter {
        long start(Properties parameters);
    }

    private final JobOperator operator;
    private final Clock clock;
    private final Starter starter;

    /** @param starter admin.LoadLauncher's start: the one way a load starts (regular sits below admin, so it is passed in) */
    public RegularLoadRunner(JobOperator operator, Clock clock, Starter starter) {
        this.operator = operator;
        this.clock = clock;
        this.starter = starter;
    }

    /** Runs what is due now; empty when nothing was. */
    public Optional<JobExecution> runOnce(RegularLoadDefinition def) throws InterruptedException {
        return runOnce(def, id -> { });
    }

    /** As {@link #runOnce(RegularLoadDefinition)}; {@code started} takes the execution id as soon as it is known. */
    public Optional<JobExecution> runOnce(RegularLoadDefinition def, LongConsumer started) throws InterruptedException {
        return runOnce(def, started, () -> false);
    }

    /**
     * As {@link #runOnce(RegularLoadDefinition, LongConsumer)}, cancellable without an interrupt: once {@code cancelled}
     * says so no execution starts, and the wait for a started one ends (empty; the execution goes on, its days are not
     * recorded, so the next run loads them again).
     */
    public Optional<JobExecution> runOnce(RegularLoadDefinition def, LongConsumer started, BooleanSupplier cancelled) throws InterruptedException {
        LoadPlan plan;
        try (ClickHouseConnection connection = def.settings().clickhouse().connect()) {
            new SchemaManager(connection, def.settings().clickhouseDatabase(), def.settings().clickhouseCluster()).createDatabase();
            LoadStateTable state = new LoadStateTable(connection, def.settings().clickhouseDatabase());
            state.create();
            plan = LoadPlanner.plan(def, ZonedDateTime.now(clock), state.read(def.name()));
            if (!plan.drop().isEmpty()) {
                dropDays(connection, def.settings().clickhouse(), plan.drop());
                state.forgetBefore(def.name(), def.loadFrom());
                LOG.info(def.name() + ": load-from moved to " + def.loadFrom() + ", dropped " + plan.drop().size() + " earlier day(s)");
            }
        }
        if (plan.nothingToLoad()) {
            LOG.info(def.name() + ": nothing due");
            return Optional.empty();
        }
        LOG.info(def.name() + ": loading " + plan.since() + ".." + plan.until() + (plan.fullReload() ? " (full reload: load-from changed)" : ""));
        Properties params = LoadParameters.builder().setAll(def.jobParameters()).dateSince(plan.since()).dateUntil(plan.until()).build();
        if (params.getProperty(LoadParameters.AUTO_RESTART, "").isBlank()) {
            params.setProperty(LoadParameters.AUTO_RESTART, Integer.toString(AutoRestart.CONNECTION_DEFAULT)); // on by default here
        }
        if (cancelled.getAsBoolean()) {
            LOG.info(def.name() + ": cancelled before its execution started");
            return Optional.empty();
        }
        long id = starter.start(params);
        started.accept(id);
        Optional<JobExecution> ended = Jobs.await(operator, id, cancelled);
        if (ended.isEmpty()) {
            return ended;
        }
        JobExecution execution = ended.get();
        if (execution.getBatchStatus() == BatchStatus.COMPLETED) {
            recordLoaded(def, plan.since(), plan.until(), id);
        }
        return Optional.of(execution);
    }

    /**
     * Drops the loaded days from their tables (a table not created yet has nothing to drop); on a cluster each on a
     * replica of its shard.
     */
    public static void dropDays(ClickHouseConnection connection, ClickHouseTarget target, List<LoadState> days) {
        String database = target.database();
        for (LoadState s : days) {
            TableLayout layout = new TableLayout(FieldCatalog.get().source(s.source()).orElseThrow());
            boolean exists = connection.queryLong("SELECT count() FROM system.tables WHERE database = '"
                    + Identifiers.requirePlainName("database", database) + "' AND name = '"
                    + Identifiers.requirePlainName("table", layout.tableName()) + "'") > 0;
            if (exists && target.cluster() == null) {
                new SliceTables(connection, database, layout, s.applicationId(), s.day()).dropTarget();
            } else if (exists) {
                try (ClickHouseConnection shard = target.connectForApplication(s.applicationId())) {
                    new SliceTables(shard, database, layout, s.applicationId(), s.day(), true).dropTarget();
                }
            }
        }
    }

    /**
     * Records the days {@code since..until} as loaded by a COMPLETED execution: after each run, and after the run's
     * execution crashed and was restarted by another process (AutoRestart), which then completed it.
     */
    public void recordLoaded(RegularLoadDefinition def, LocalDate since, LocalDate until, long executionId) {
        Instant now = clock.instant();
        List<LoadState> states = new ArrayList<>();
        try (ClickHouseConnection connection = def.settings().clickhouse().connect()) {
            for (String source : def.settings().sources()) {
                if (!FieldCatalog.get().source(source).orElseThrow().datesRequired()) {
                    continue;
                }
                Map<String, Long> counts = new HashMap<>();
                for (String[] r : connection.query("SELECT load_application_id, toString(load_date), count() FROM "
                        + Identifiers.qualified(def.settings().clickhouseDatabase(), def.settings().clickhouse().readTable(source))
                        + " WHERE load_date BETWEEN '" + since
                        + "' AND '" + until + "' GROUP BY load_application_id, load_date")) {
                    counts.put(r[0] + "/" + r[1], Long.parseLong(r[2]));
                }
                for (LocalDate d = since; !d.isAfter(until); d = d.plusDays(1)) {
                    for (long app : def.settings().applicationIds()) {
                        states.add(new LoadState(def.name(), app, source, d, def.loadFrom(), counts.getOrDefault(app + "/" + d, 0L),
                                executionId, now));
                    }
                }
            }
            new LoadStateTable(connection, def.settings().clickhouseDatabase()).record(states);
        }
    }
}
