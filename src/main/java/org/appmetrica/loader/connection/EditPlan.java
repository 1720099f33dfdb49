package org.appmetrica.loader.connection;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What saving an edit of a connection does, decided before it is saved (the console and {@code edit --dry-run} show
 * it). Pure: both connections validated, nothing read. The seed's rules: a changed load-from reloads everything (a
 * later one also drops the earlier days); one-time to regular reloads everything; a changed target starts afresh there;
 * an added application or source loads from load-from; a removed one leaves its data unless the user drops it.
 */
public record EditPlan(List<Action> actions) {

    public static final String FULL_RELOAD = "full-reload";
    public static final String DROP_DAYS_BEFORE = "drop-days-before";
    public static final String LOAD_NEW = "load-new";
    public static final String OFFER_DROP = "offer-drop";
    public static final String FRESH_TARGET = "fresh-target";
    public static final String SCHEDULE_ONLY = "schedule-only";
    public static final String NOTHING = "nothing";

    public record Action(String kind, String text) {
    }

    @JsonIgnore
    public boolean has(String kind) {
        return actions.stream().anyMatch(a -> a.kind().equals(kind));
    }

    public static EditPlan of(Connection old, Connection edited) {
        List<Action> actions = new ArrayList<>();
        if (!old.sameTarget(edited)) {
            actions.add(new Action(FRESH_TARGET, "the target changed: the next run loads every day from " + edited.loadFrom()
                    + " into " + where(edited) + "; the data in " + where(old) + " stays"));
            return new EditPlan(actions);
        }
        if (!old.loadFrom().equals(edited.loadFrom())) {
            actions.add(new Action(FULL_RELOAD, "load-from changed from " + old.loadFrom() + " to " + edited.loadFrom()
                    + ": the next run loads every day from " + edited.loadFrom() + " again"));
            if (edited.loadFromDay().isAfter(old.loadFromDay())) {
                actions.add(new Action(DROP_DAYS_BEFORE, "the days before " + edited.loadFrom() + " are dropped from the tables"));
            }
        } else if (!old.isRegular() && edited.isRegular()) {
            actions.add(new Action(FULL_RELOAD, "one-time became regular: the next run loads every day from " + edited.loadFrom() + " again"));
        } else if (!sameShape(old, edited)) {
            actions.add(new Action(FULL_RELOAD, "the date dimension, fields or filters changed: the next run loads every day from "
                    + edited.loadFrom() + " again"));
        }
        boolean reloading = !actions.isEmpty();
        Set<Long> addedApps = minus(edited.applications(), old.applications());
        Set<String> addedSources = minus(edited.sources().keySet(), old.sources().keySet());
        if (!reloading && (!addedApps.isEmpty() || !addedSources.isEmpty())) {
            actions.add(new Action(LOAD_NEW, "added " + describe(addedApps, addedSources) + ": loaded from " + edited.loadFrom()
                    + " on the next run"));
        }
        Set<Long> removedApps = minus(old.applications(), edited.applications());
        Set<String> removedSources = minus(old.sources().keySet(), edited.sources().keySet());
        if (!removedApps.isEmpty() || !removedSources.isEmpty()) {
            actions.add(new Action(OFFER_DROP, "removed " + describe(removedApps, removedSources)
                    + ": no longer loaded; its data stays unless you drop it (edit --drop-removed)"));
        }
        if (actions.isEmpty() && scheduleChanged(old, edited)) {
            actions.add(new Action(SCHEDULE_ONLY, edited.isRegular()
                    ? "only when it runs changed: rescheduled, the loaded days stay"
                    : "it became one-time: no more scheduled runs, the loaded days stay"));
        }
        if (actions.isEmpty()) {
            actions.add(new Action(NOTHING, "no change to the loaded data"));
        }
        return new EditPlan(actions);
    }

    /** The same columns and rows for the sources both have: date dimension, fields, filters. */
    private static boolean sameShape(Connection old, Connection edited) {
        if (!old.dateDimension().equals(edited.dateDimension())) {
            return false;
        }
        for (String source : old.sources().keySet()) {
            if (edited.sources().containsKey(source)) {
                Connection.Source a = options(old, source);
                Connection.Source b = options(edited, source);
                if (!a.fieldList().equals(b.fieldList()) || !a.filterMap().equals(b.filterMap())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Connection.Source options(Connection c, String source) {
        Connection.Source s = c.sources().get(source);
        return s == null ? new Connection.Source(null, null) : s;
    }

    private static boolean scheduleChanged(Connection old, Connection edited) {
        return !Objects.equals(old.regularity(), edited.regularity()) || !Objects.equals(old.schedule(), edited.schedule())
                || !Objects.equals(old.timeZone(), edited.timeZone()) || !Objects.equals(old.reloadDays(), edited.reloadDays())
                || Boolean.TRUE.equals(old.includeToday()) != Boolean.TRUE.equals(edited.includeToday());
    }

    private static <T> Set<T> minus(Iterable<T> a, Iterable<T> b) {
        Set<T> result = new HashSet<>();
        a.forEach(result::add);
        b.forEach(result::remove);
        return result;
    }

    private static String describe(Set<Long> apps, Set<String> sources) {
        List<String> parts = new ArrayList<>();
        if (!apps.isEmpty()) {
            parts.add("application(s) " + apps.stream().sorted().map(String::valueOf).reduce((x, y) -> x + ", " + y).orElse(""));
        }
        if (!sources.isEmpty()) {
            parts.add("source(s) " + String.join(", ", sources.stream().sorted().toList()));
        }
        return String.join(" and ", parts);
    }

    private static String where(Connection c) {
        Connection.Target t = c.target();
        return (t.dataSource() != null ? t.dataSource() : t.url()) + " database " + t.database();
    }
}
