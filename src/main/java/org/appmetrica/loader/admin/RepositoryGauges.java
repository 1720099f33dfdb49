package org.appmetrica.loader.admin;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.batch.runtime.BatchStatus;
import org.appmetrica.loader.admin.Views.ExecutionView;
import org.appmetrica.loader.admin.Views.PartitionView;
import org.appmetrica.loader.admin.Views.StepView;
import org.appmetrica.loader.model.Jobs;
import org.appmetrica.loader.model.SliceState;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gauges read from the job repository when scraped, through the console's queries (what it shows): executions by
 * status, the slices of running loads by state, and per application and source the newest day a load published.
 */
public final class RepositoryGauges {

    /** The newest executions looked at (each scrape reads them, as the console's list does); older ones are not counted. */
    static final int EXECUTIONS = 200;
    /** Every state a slice shows while its load runs, so that each series exists, 0 when no load runs. */
    static final List<SliceState> SLICE_STATES = List.of(SliceState.PENDING, SliceState.STARTING, SliceState.REQUESTED, SliceState.QUEUED,
            SliceState.RATE_LIMITED, SliceState.RETRYING, SliceState.LOADING, SliceState.PUBLISHED, SliceState.FAILED);

    private record AppSource(long application, String source) {
    }

    private record Series(String name, Tags tags) {
    }

    private final ExecutionQueries queries;
    private final Clock clock;
    private final MeterRegistry registry;
    private final boolean builders;
    /** The gauges' values as of the last refresh; a gauge reads its own when scraped. */
    private final Map<Series, Double> values = new ConcurrentHashMap<>();
    /** The newest day each ended execution published, per application and source: an ended execution does not change. */
    private final Map<Long, Map<AppSource, LocalDate>> ended = new HashMap<>();

    /**
     * @param builders register through Gauge.builder (with descriptions); false for WildFly's deployment registry, which
     *                 exports only what its convenience method {@code gauge(name, tags, …)} registers
     */
    public RepositoryGauges(ExecutionQueries queries, MeterRegistry registry, Clock clock, boolean builders) {
        this.queries = queries;
        this.clock = clock;
        this.registry = registry;
        this.builders = builders;
    }

    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "appmetrica.loader.executions", "executions of the newest " + EXECUTIONS + " in the job repository, by batch status",
            "appmetrica.loader.slices", "slices of the running loads, by state",
            "appmetrica.loader.last.loaded.day.seconds", "the newest day a load published, per application and source (its start, UTC, epoch seconds)",
            "appmetrica.loader.freshness.lag.seconds", "seconds since the end (UTC) of the newest day a load published, per application and source");

    private void set(String name, Tags tags, double value) {
        Series key = new Series(name, tags);
        if (values.put(key, value) == null) {
            if (builders) {
                Gauge.builder(name, values, v -> v.getOrDefault(key, 0.0)).description(DESCRIPTIONS.get(name)).tags(tags).register(registry);
            } else {
                registry.gauge(name, tags, values, v -> v.getOrDefault(key, 0.0));
            }
        }
    }

    public synchronized void refresh() {
        Map<String, Integer> byStatus = new TreeMap<>();
        for (BatchStatus s : BatchStatus.values()) {
            byStatus.put(s.name(), 0);
        }
        Map<String, Integer> byState = new TreeMap<>();
        SLICE_STATES.forEach(state -> byState.put(state.toString(), 0));
        Map<AppSource, LocalDate> last = new HashMap<>();
        List<ExecutionView> newest = queries.executions(EXECUTIONS);
        ended.keySet().retainAll(newest.stream().map(ExecutionView::id).toList());
        for (ExecutionView e : newest) {
            byStatus.merge(String.valueOf(e.status()), 1, Integer::sum);
            if (!Jobs.LOAD_JOB.equals(e.job())) {
                continue;
            }
            boolean running = e.status() == BatchStatus.STARTING || e.status() == BatchStatus.STARTED || e.status() == BatchStatus.STOPPING;
            Map<AppSource, LocalDate> days = running ? null : ended.get(e.id());
            if (days == null) {
                days = read(e, running ? byState : null);
                if (!running) {
                    ended.put(e.id(), days);
                }
            }
            days.forEach((k, v) -> last.merge(k, v, (a, b) -> a.isAfter(b) ? a : b));
        }
        byStatus.forEach((status, n) -> set("appmetrica.loader.executions", Tags.of("status", status), n));
        byState.forEach((state, n) -> set("appmetrica.loader.slices", Tags.of("state", state), n));
        long now = clock.millis();
        // a pair that drops out of the newest executions keeps its last values
        last.forEach((k, day) -> {
            Tags tags = Tags.of("application", String.valueOf(k.application()), "source", k.source());
            long start = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
            set("appmetrica.loader.last.loaded.day.seconds", tags, start);
            set("appmetrica.loader.freshness.lag.seconds", tags, Math.max(0, now / 1000 - (start + 86_400)));
        });
    }

    /** The newest day published per application and source; the slices by state into {@code states} when given. */
    private Map<AppSource, LocalDate> read(ExecutionView e, Map<String, Integer> states) {
        Map<AppSource, LocalDate> days = new HashMap<>();
        int seen = 0;
        for (StepView step : queries.execution(e.id()).steps()) {
            for (PartitionView p : step.partitions()) {
                boolean published = p.apiState() == SliceState.PUBLISHED || p.status() == BatchStatus.COMPLETED;
                if (states != null && Jobs.LOAD_STEP.equals(step.name())) {
                    seen++;
                    states.merge((published ? SliceState.PUBLISHED : p.status() == BatchStatus.FAILED ? SliceState.FAILED
                            : p.apiState() == null ? SliceState.STARTING : p.apiState()).toString(), 1, Integer::sum);
                }
                if (published && p.day() != null && p.application() != null) {
                    days.merge(new AppSource(p.application(), p.source()), LocalDate.parse(p.day()), (a, b) -> a.isAfter(b) ? a : b);
                }
            }
        }
        if (states != null && e.progress() != null) {
            int pending = e.progress().planned() - e.progress().earlier() - seen;
            states.merge(SliceState.PENDING.toString(), Math.max(0, pending), Integer::sum);
        }
        return days;
    }
}
