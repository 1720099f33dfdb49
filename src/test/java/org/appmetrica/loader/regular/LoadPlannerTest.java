package org.appmetrica.loader.regular;

import org.appmetrica.loader.connection.ConnectionFile;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadPlannerTest {

    private static RegularLoadDefinition definition(String loadFrom, String... extra) {
        Properties p = new Properties();
        p.setProperty("name", "main");
        p.setProperty("applicationIds", "1");
        p.setProperty("sources", "events");
        p.setProperty("loadFrom", loadFrom);
        p.setProperty("timeZone", "Europe/Moscow");
        for (int i = 0; i < extra.length; i += 2) {
            p.setProperty(extra[i], extra[i + 1]);
        }
        return ConnectionFile.read(p).validated().definition(new Properties());
    }

    private static List<LoadState> loaded(String from, String to, String loadFrom, Instant at) {
        List<LoadState> s = new ArrayList<>();
        for (LocalDate d = LocalDate.parse(from); !d.isAfter(LocalDate.parse(to)); d = d.plusDays(1)) {
            s.add(new LoadState("main", 1, "events", d, LocalDate.parse(loadFrom), 10, 1, at));
        }
        return s;
    }

    private static final ZonedDateTime NOW = ZonedDateTime.of(2024, 3, 20, 4, 0, 0, 0, ZoneId.of("Europe/Moscow"));

    @Test
    void firstRunLoadsFromLoadFromToYesterday() {
        LoadPlan plan = LoadPlanner.plan(definition("2024-03-01"), NOW, List.of());
        assertEquals(LocalDate.parse("2024-03-01"), plan.since());
        assertEquals(LocalDate.parse("2024-03-19"), plan.until());
        assertTrue(definition("2024-03-01").reloadDays() == 7);
        assertTrue(definition("2024-03-01", "dateDimension", "receive").reloadDays() == 1);
    }

    @Test
    void finalDaysAreNotLoadedAgainButTheWindowIs() {
        // everything up to the 19th was loaded on the 20th at 03:00: days up to the 12th were final by then
        List<LoadState> state = loaded("2024-03-01", "2024-03-19", "2024-03-01", NOW.minusHours(1).toInstant());
        LoadPlan plan = LoadPlanner.plan(definition("2024-03-01"), NOW.plusDays(1), state);
        assertEquals(LocalDate.parse("2024-03-13"), plan.since());
        assertEquals(LocalDate.parse("2024-03-20"), plan.until());
        assertFalse(plan.fullReload());
    }

    @Test
    void aMissedDayIsCaughtUpAndTodayIsOptional() {
        List<LoadState> state = loaded("2024-03-01", "2024-03-10", "2024-03-01", NOW.toInstant());
        LoadPlan plan = LoadPlanner.plan(definition("2024-03-01", "reloadDays", "0", "includeToday", "true"), NOW, state);
        assertEquals(LocalDate.parse("2024-03-11"), plan.since());
        assertEquals(LocalDate.parse("2024-03-20"), plan.until());
    }

    @Test
    void movingLoadFromReloadsEverythingAndDropsEarlierDays() {
        List<LoadState> state = loaded("2024-03-01", "2024-03-19", "2024-03-01", NOW.toInstant());
        LoadPlan later = LoadPlanner.plan(definition("2024-03-10"), NOW, state);
        assertTrue(later.fullReload());
        assertEquals(LocalDate.parse("2024-03-10"), later.since());
        assertEquals(9, later.drop().size());
        LoadPlan earlier = LoadPlanner.plan(definition("2024-02-20"), NOW, state);
        assertTrue(earlier.fullReload());
        assertEquals(LocalDate.parse("2024-02-20"), earlier.since());
        assertTrue(earlier.drop().isEmpty());
    }

    @Test
    void schedules() {
        Schedule daily = Schedule.parse("daily 03:30", ZoneId.of("Europe/Moscow"));
        assertEquals(NOW.withHour(3).withMinute(30).plusDays(1), daily.next(NOW.withHour(3).withMinute(30)));
        assertEquals(NOW.withHour(3).withMinute(30).minusDays(1), daily.previous(NOW.withHour(3).withMinute(0)));
        Schedule every6 = Schedule.parse("every 6 h", ZoneId.of("UTC"));
        assertEquals(ZonedDateTime.parse("2024-03-20T06:00Z").toInstant(), every6.next(ZonedDateTime.parse("2024-03-20T01:00Z")).toInstant());
        assertThrows(IllegalArgumentException.class, () -> Schedule.parse("hourly", ZoneId.of("UTC")));
        assertThrows(IllegalArgumentException.class, () -> definition("2024-03-01", "dateSince", "2024-01-01"));
    }
}
