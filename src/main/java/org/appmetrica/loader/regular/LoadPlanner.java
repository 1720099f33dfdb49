package org.appmetrica.loader.regular;

import org.appmetrica.loader.schema.FieldCatalog;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which days a run of a regular load loads. A day is due when it has never been loaded for every application
 * and source, or when its last load happened before the day became final (its end plus the re-load window). A changed
 * load-from means a full reload; days before a later load-from are dropped. Pure logic, clock passed in.
 */
public final class LoadPlanner {

    private LoadPlanner() {
    }

    public static LoadPlan plan(RegularLoadDefinition def, ZonedDateTime now, List<LoadState> state) {
        ZoneId zone = def.schedule().zone();
        LocalDate today = now.withZoneSameInstant(zone).toLocalDate();
        LocalDate last = def.includeToday() ? today : today.minusDays(1);
        boolean loadFromChanged = state.stream().anyMatch(s -> !s.loadFrom().equals(def.loadFrom()));
        List<LoadState> drop = state.stream().filter(s -> s.day().isBefore(def.loadFrom())).toList();
        if (last.isBefore(def.loadFrom())) {
            return new LoadPlan(null, null, loadFromChanged, drop);
        }
        if (loadFromChanged) {
            return new LoadPlan(def.loadFrom(), last, true, drop);
        }
        Map<String, LoadState> byKey = new HashMap<>();
        state.forEach(s -> byKey.put(key(s.applicationId(), s.source(), s.day()), s));
        List<String> sources = def.settings().sources().stream()
                .filter(s -> FieldCatalog.get().source(s).orElseThrow().datesRequired()).toList();
        LocalDate since = null;
        for (LocalDate d = def.loadFrom(); !d.isAfter(last) && since == null; d = d.plusDays(1)) {
            // A day is final once its end plus the window has passed; a load before that must be repeated.
            ZonedDateTime finalAt = d.plusDays(1L + def.reloadDays()).atStartOfDay(zone);
            for (long app : def.settings().applicationIds()) {
                for (String source : sources) {
                    LoadState s = byKey.get(key(app, source, d));
                    if (s == null || s.loadedAt().isBefore(finalAt.toInstant())) {
                        since = d;
                    }
                }
            }
        }
        if (since == null && sources.size() == def.settings().sources().size()) {
            return new LoadPlan(null, null, false, drop);
        }
        return new LoadPlan(since == null ? last : since, last, false, drop);
    }

    private static String key(long app, String source, LocalDate day) {
        return app + "/" + source + "/" + day;
    }
}
