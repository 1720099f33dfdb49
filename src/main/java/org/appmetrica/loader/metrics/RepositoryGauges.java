package org.appmetrica.loader.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import jakarta.batch.runtime.BatchStatus;
import org.appmetrica.loader.admin.AdminService;
import org.appmetrica.loader.admin.Views.ExecutionView;
import org.appmetrica.loader.admin.Views.PartitionView;
import org.appmetrica.loader.admin.Views.StepView;
import org.appmetrica.loader.model.Jobs;
import org.appmetrica.loader.model.SliceReport;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Gauges read from the job repository when scraped, through the admin service (what the console shows): executions by
 * status, the slices of running loads by state, and per application and source the newest day a load published.
 */
public final class RepositoryGauges {

    /** The newest executions looked at (each scrape reads them, as the console's list does); older ones are not counted. */
    static final int EXECUTIONS = 200;
    /** Every state a slice shows (SliceReport's states and these), so that each series exists, 0 when no load runs. */
    static final List<String> SLICE_STATES = List.of("pending", "starting", "requested", "queued", "rate-limited", "retrying", "loading",
            SliceReport.PUBLISHED, "failed");

    private record AppSource(long application, String source) {
    }

    private final AdminService admin;
    private final Clock clock;
    private final MultiGauge executions;
    private final MultiGauge slices;
    private final MultiGauge lastDay;
    private final MultiGauge lag;
    /** The newest day each ended execution published, per application and source: an ended execution does not change. */
    private final Map<Long, Map<AppSource, LocalDate>> ended = new HashMap<>();

    public RepositoryGauges(AdminService admin, MeterRegistry registry, Clock clock) {
        this.admin = admin;
        this.clock = clock;
        executions = MultiGauge.builder("appmetrica.loader.executions")
                .description("executions of the newest " + EXECUTIONS + " in the job repository, by batch status").register(registry);
        slices = MultiGauge.builder("appmetrica.loader.slices")
                .description("slices of the running loads, by state").register(registry);
        lastDay = MultiGauge.builder("appmetrica.loader.last.loaded.day").baseUnit("seconds")
                .description("the newest day a load published, per application and source (its start, UTC, epoch seconds)").register(registry);
        lag = MultiGauge.builder("appmetrica.loader.freshness.lag").baseUnit("seconds")
                .description("seconds since the end (UTC) of the newest day a load published, per application and source").register(registry);
    }

    public synchronized void refresh() {
        Map<String, Integer> byStatus = new TreeMap<>();
        for (BatchStatus s : BatchStatus.values()) {
            byStatus.put(s.name(), 0);
        }
        Map<String, Integer> byState = new TreeMap<>();
        SLICE_STATES.forEach(state -> byState.put(state, 0));
        Map<AppSource, LocalDate> last = new HashMap<>();
        List<ExecutionView> newest = admin.executions(EXECUTIONS);
        ended.keySet().retainAll(newest.stream().map(ExecutionView::id).toList());
        for (ExecutionView e : newest) {
            byStatus.merge(e.status(), 1, Integer::sum);
            if (!Jobs.LOAD_JOB.equals(e.job())) {
                continue;
            }
            boolean running = "STARTING".equals(e.status()) || "STARTED".equals(e.status()) || "STOPPING".equals(e.status());
            Map<AppSource, LocalDate> days = running ? null : ended.get(e.id());
            if (days == null) {
                days = read(e, running ? byState : null);
                if (!running) {
                    ended.put(e.id(), days);
                }
            }
            days.forEach((k, v) -> last.merge(k, v, (a, b) -> a.isAfter(b) ? a : b));
        }
        executions.register(rows(byStatus, "status"), true);
        slices.register(rows(byState, "state"), true);
        long now = clock.millis();
        List<MultiGauge.Row<?>> dayRows = new ArrayList<>();
        List<MultiGauge.Row<?>> lagRows = new ArrayList<>();
        last.forEach((k, day) -> {
            Tags tags = Tags.of("application", String.valueOf(k.application()), "source", k.source());
            long start = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
            dayRows.add(MultiGauge.Row.of(tags, start));
            lagRows.add(MultiGauge.Row.of(tags, Math.max(0, now / 1000 - (start + 86_400))));
        });
        lastDay.register(dayRows, true);
        lag.register(lagRows, true);
    }

    /** The newest day published per application and source; the slices by state into {@code states} when given. */
    private Map<AppSource, LocalDate> read(ExecutionView e, Map<String, Integer> states) {
        Map<AppSource, LocalDate> days = new HashMap<>();
        int seen = 0;
        for (StepView step : admin.execution(e.id()).steps()) {
            for (PartitionView p : step.partitions()) {
                boolean published = SliceReport.PUBLISHED.equals(p.apiState()) || "COMPLETED".equals(p.status());
                if (states != null && Jobs.LOAD_STEP.equals(step.name())) {
                    seen++;
                    states.merge(published ? SliceReport.PUBLISHED : "FAILED".equals(p.status()) ? "failed"
                            : p.apiState() == null ? "starting" : p.apiState(), 1, Integer::sum);
                }
                if (published && p.day() != null && p.application() != null) {
                    days.merge(new AppSource(p.application(), p.source()), LocalDate.parse(p.day()), (a, b) -> a.isAfter(b) ? a : b);
                }
            }
        }
        if (states != null && e.progress() != null) {
            int pending = e.progress().planned() - e.progress().earlier() - seen;
            states.merge("pending", Math.max(0, pending), Integer::sum);
        }
        return days;
    }

    private static List<MultiGauge.Row<?>> rows(Map<String, Integer> counts, String tag) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        counts.forEach((k, v) -> rows.add(MultiGauge.Row.of(Tags.of(tag, k), v)));
        return rows;
    }
}
