package org.appmetrica.loader.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.appmetrica.loader.schema.ColumnType;
import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.schema.FieldSpec;
import org.appmetrica.loader.schema.SourceSpec;
import org.junit.jupiter.api.Test;

class SimulatedDataTest {

    private static final long APP = 123456;
    private static final LocalDate DAY = LocalDate.of(2024, 2, 29);
    private static final Pattern DATETIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
    private static final DateTimeFormatter DT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final BigInteger TWO_63 = BigInteger.ONE.shiftLeft(63);

    private final SimulatedData data = new SimulatedData(42, 400);

    static List<String> names(SourceSpec s) {
        return s.fields().stream().map(FieldSpec::name).toList();
    }

    static LocalDate dayOf(SourceSpec s) {
        return s.datesRequired() ? DAY : null;
    }

    static List<String[]> all(SimulatedData d, SourceSpec s, LocalDate day, List<String> fields,
                              Map<String, String> filters) {
        List<String[]> out = new ArrayList<>();
        d.rows(APP, s, day, fields, filters).forEachRemaining(out::add);
        return out;
    }

    @Test
    void rowCountIsExactlyRowsPerDayForEverySource() {
        for (SourceSpec s : FieldCatalog.get().sources()) {
            assertEquals(400, data.rowCount(APP, s, dayOf(s)), s.name());
            assertEquals(400, all(data, s, dayOf(s), names(s), Map.of()).size(), s.name());
        }
        SourceSpec events = source("events");
        assertEquals(0, all(new SimulatedData(1, 0), events, DAY, List.of("event_name"), Map.of()).size());
    }

    @Test
    void rowsComeInSessionsOfOneDeviceWithTimesInOrder() {
        SourceSpec events = source("events");
        List<String[]> rows = all(new SimulatedData(42, 6000), events, DAY,
                List.of("appmetrica_device_id", "session_id", "city", "event_datetime", "event_name"), Map.of());
        int sameSession = 0;
        int eventNameRepeats = 0;
        for (int i = 1; i < rows.size(); i++) {
            String[] prev = rows.get(i - 1);
            String[] row = rows.get(i);
            if (row[0].equals(prev[0]) && row[1].equals(prev[1])) {
                sameSession++;
                assertEquals(prev[2], row[2], "one city per session, row " + i);
                assertTrue(row[3].compareTo(prev[3]) >= 0, "times follow one another in a session, row " + i);
            }
            if (row[4].equals(prev[4])) {
                eventNameRepeats++;
            }
        }
        // about half the rows continue the session of the row before (sessions of two rows on average)
        assertTrue(sameSession > 2000 && sameSession < 4000, "rows continuing a session: " + sameSession);
        assertTrue(eventNameRepeats < 1000, "events within a session still differ: " + eventNameRepeats);
        // dateless sources have no sessions: each row is a device of its own
        List<String[]> profiles = all(new SimulatedData(42, 600), source("profiles"), null,
                List.of("appmetrica_device_id"), Map.of());
        long repeats = java.util.stream.IntStream.range(1, profiles.size())
                .filter(i -> profiles.get(i)[0].equals(profiles.get(i - 1)[0])).count();
        assertTrue(repeats < 10, "profiles repeating the row before: " + repeats);
    }

    @Test
    void dayMustMatchWhetherTheSourceIsDateless() {
        assertThrows(IllegalArgumentException.class, () -> data.rowCount(APP, source("events"), null));
        assertThrows(IllegalArgumentException.class, () -> data.rowCount(APP, source("push_tokens"), DAY));
        assertThrows(IllegalArgumentException.class,
                () -> data.rows(APP, source("events"), DAY, List.of("no_such_field"), Map.of()));
    }

    @Test
    void deterministicAndSeedSensitive() {
        SourceSpec events = source("events");
        List<String[]> a = all(data, events, DAY, names(events), Map.of());
        List<String[]> b = all(new SimulatedData(42, 400), events, DAY, names(events), Map.of());
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i));
        }
        List<String[]> c = all(new SimulatedData(43, 400), events, DAY, names(events), Map.of());
        int same = 0;
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i)[names(events).indexOf("appmetrica_device_id")]
                    .equals(c.get(i)[names(events).indexOf("appmetrica_device_id")])) {
                same++;
            }
        }
        assertTrue(same < 20, "another seed gives other data");
        // a bigger rowsPerDay keeps the first rows unchanged (a day only grows)
        List<String[]> more = all(new SimulatedData(42, 500), events, DAY, names(events), Map.of());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), more.get(i));
        }
        // other days and other applications differ
        List<String[]> nextDay = all(data, events, DAY.plusDays(1), List.of("appmetrica_device_id", "event_json",
                "session_id"), Map.of());
        assertNotEquals(List.of(a.get(0)[names(events).indexOf("session_id")]),
                List.of(nextDay.get(0)[2]));
    }

    @Test
    void aFieldsValueDoesNotDependOnTheOtherFieldsRequested() {
        for (SourceSpec s : FieldCatalog.get().sources()) {
            List<String> fields = names(s);
            List<String[]> full = all(data, s, dayOf(s), fields, Map.of());
            List<String> reversed = new ArrayList<>(fields);
            Collections.reverse(reversed);
            List<String[]> rev = all(data, s, dayOf(s), reversed, Map.of());
            for (int f = 0; f < fields.size(); f++) {
                List<String[]> alone = all(data, s, dayOf(s), List.of(fields.get(f)), Map.of());
                for (int i = 0; i < full.size(); i++) {
                    assertEquals(full.get(i)[f], alone.get(i)[0], s.name() + "." + fields.get(f) + " row " + i);
                    assertEquals(full.get(i)[f], rev.get(i)[fields.size() - 1 - f]);
                }
            }
        }
    }

    @Test
    void everyValueIsValidForItsColumnType() {
        for (SourceSpec s : FieldCatalog.get().sources()) {
            List<String> fields = names(s);
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < fields.size(); i++) {
                index.put(fields.get(i), i);
            }
            for (String[] row : all(data, s, dayOf(s), fields, Map.of())) {
                for (int f = 0; f < fields.size(); f++) {
                    FieldSpec spec = s.fields().get(f);
                    String v = row[f];
                    String where = s.name() + "." + spec.name() + "=" + v;
                    if (v.isEmpty()) {
                        assertTrue(spec.column() == ColumnType.STRING || optional(s, spec.name()), where);
                        continue;
                    }
                    switch (spec.column()) {
                        case DATETIME -> {
                            assertTrue(DATETIME.matcher(v).matches(), where);
                            LocalDateTime t = LocalDateTime.parse(v, DT);
                            if (s.datesRequired()) {
                                assertEquals(DAY, t.toLocalDate(), where);
                            }
                        }
                        case DATE -> LocalDate.parse(v);
                        case BOOL -> assertTrue(v.equals("true") || v.equals("false"), where);
                        case INT64 -> Long.parseLong(v);
                        case UINT64 -> Long.parseUnsignedLong(v);
                        case STRING -> { }
                        default -> fail(where);
                    }
                }
                if (index.containsKey("application_id")) {
                    assertEquals(Long.toString(APP), row[index.get("application_id")]);
                }
                if (index.containsKey("appmetrica_device_id")) {
                    assertFalse(row[index.get("appmetrica_device_id")].isEmpty(), s.name());
                }
                checkMoments(s, fields, index, row);
            }
        }
    }

    /** Empty is allowed for typed values except the row's own moment, the device id and the application id. */
    private static boolean optional(SourceSpec s, String field) {
        if (field.equals("appmetrica_device_id") || field.equals("application_id")) {
            return false;
        }
        SourceInfo info = SourceInfo.of(s);
        return !(field.startsWith(info.primaryPrefix + "_") && (field.endsWith("_datetime")
                || field.endsWith("_timestamp")));
    }

    private static void checkMoments(SourceSpec s, List<String> fields, Map<String, Integer> index, String[] row) {
        for (String f : fields) {
            if (!f.endsWith("_datetime")) {
                continue;
            }
            String prefix = f.substring(0, f.length() - "_datetime".length());
            String dt = row[index.get(f)];
            Integer ts = index.get(prefix + "_timestamp");
            if (ts != null) {
                String t = row[ts];
                assertEquals(dt.isEmpty(), t.isEmpty(), s.name() + "." + prefix);
                if (!dt.isEmpty()) {
                    long epoch = LocalDateTime.parse(dt, DT).toEpochSecond(ZoneOffset.UTC);
                    assertEquals(epoch, Long.parseLong(t), s.name() + "." + prefix + " timestamp matches datetime");
                }
            }
            if (prefix.endsWith("_receive")) {
                String device = row[index.get(prefix.substring(0, prefix.length() - "_receive".length())
                        + "_datetime")];
                if (!device.isEmpty()) {
                    LocalDateTime d = LocalDateTime.parse(device, DT);
                    LocalDateTime r = LocalDateTime.parse(dt, DT);
                    assertFalse(r.isBefore(d), s.name() + ": received before it happened");
                    assertEquals(d.toLocalDate(), r.toLocalDate(), s.name() + ": receive on the same day");
                }
            }
        }
    }

    @Test
    void deviceIdsGoAboveTwoToThe63() {
        SourceSpec events = source("events");
        int above = 0;
        int total = 0;
        Iterator<String[]> it = new SimulatedData(42, 2000).rows(APP, events, DAY, List.of("appmetrica_device_id"),
                Map.of());
        while (it.hasNext()) {
            BigInteger id = new BigInteger(it.next()[0]);
            assertTrue(id.signum() >= 0 && id.bitLength() <= 64);
            if (id.compareTo(TWO_63) >= 0) {
                above++;
            }
            total++;
        }
        assertTrue(above > total / 4, "many device ids above 2^63: " + above + "/" + total);
    }

    @Test
    void stringsAreNasty() {
        SimulatedData big = new SimulatedData(42, 3000);
        String joined = String.join("\u0001", flatten(all(big, source("events"), DAY, names(source("events")),
                Map.of())));
        for (String needle : new String[] {",", "\"", "\\", "\t", "\n", "Москва", "São Paulo", "😀", "{\"key\":"}) {
            assertTrue(joined.contains(needle), "events contain " + needle);
        }
        String crashes = String.join("\u0001", flatten(all(big, source("crashes"), DAY, List.of("crash"), Map.of())));
        assertTrue(crashes.contains("\r\n"), "some stack traces use CRLF");
        assertTrue(crashes.contains("\n\tat "), "multi-line stack traces");
        String clicks = String.join("\u0001", flatten(all(big, source("clicks"), DAY, names(source("clicks")),
                Map.of())));
        assertTrue(clicks.contains("::ffff:") && clicks.contains("2a02:6b8:"), "IPv4-mapped and IPv6 addresses");
        assertTrue(clicks.contains("Mozilla/5.0 (Linux; Android 13;"), "long user agents");
    }

    @Test
    void optionalStringsAreSometimesEmpty() {
        List<String[]> rows = all(new SimulatedData(42, 3000), source("events"), DAY, List.of("city", "mnc",
                "event_datetime"), Map.of());
        long emptyCity = rows.stream().filter(r -> r[0].isEmpty()).count();
        long emptyMnc = rows.stream().filter(r -> r[1].isEmpty()).count();
        assertTrue(emptyCity > 150 && emptyCity < 450, "about 10% empty cities: " + emptyCity);
        assertTrue(emptyMnc > 60 && emptyMnc < 260, "about 5% empty mnc: " + emptyMnc);
        assertTrue(rows.stream().noneMatch(r -> r[2].isEmpty()));
    }

    @Test
    void enumerationsFollowTheSpec() {
        List<String[]> rows = all(new SimulatedData(42, 2000), source("events"), DAY,
                List.of("os_name", "device_type", "connection_type", "mcc"), Map.of());
        for (String[] r : rows) {
            assertTrue(List.of("ios", "android", "windows").contains(r[0]), r[0]);
            assertTrue(List.of("phone", "tablet", "unknown").contains(r[1]), r[1]);
            assertTrue(List.of("wifi", "cell", "unknown").contains(r[2]), r[2]);
        }
        assertTrue(rows.stream().anyMatch(r -> r[3].equals("250")));
    }

    @Test
    void filtersKeepExactlyTheMatchingRows() {
        SourceSpec events = source("events");
        List<String> fields = List.of("event_name", "os_name", "city");
        List<String[]> everything = all(data, events, DAY, fields, Map.of());
        List<String[]> ios = all(data, events, DAY, fields, Map.of("os_name", "ios"));
        List<String[]> expected = everything.stream().filter(r -> r[1].equals("ios")).toList();
        assertFalse(expected.isEmpty());
        assertEquals(expected.size(), ios.size());
        for (int i = 0; i < ios.size(); i++) {
            assertArrayEquals(expected.get(i), ios.get(i));
        }
        // a filter on a field that is not requested
        List<String[]> byCity = all(data, events, DAY, List.of("event_name"), Map.of("city", "Москва"));
        List<String[]> cities = all(data, events, DAY, List.of("event_name", "city"), Map.of());
        assertEquals(cities.stream().filter(r -> r[1].equals("Москва")).count(), byCity.size());
        assertEquals(0, all(data, events, DAY, fields, Map.of("os_name", "symbian")).size());
    }

    @Test
    void datelessSourcesSpreadTheirOwnDates() {
        SourceSpec push = source("push_tokens");
        List<String[]> rows = all(data, push, null, List.of("token_datetime", "token_timestamp", "token"), Map.of());
        assertEquals(400, rows.size());
        assertTrue(rows.stream().map(r -> r[0].substring(0, 10)).distinct().count() > 50);
        assertTrue(rows.stream().noneMatch(r -> r[2].isEmpty()));
        SourceSpec profiles = source("profiles");
        for (String[] r : all(data, profiles, null, List.of("appmetrica_first_session_date",
                "appmetrica_last_start_date"), Map.of())) {
            if (!r[0].isEmpty() && !r[1].isEmpty()) {
                assertFalse(LocalDate.parse(r[0]).isAfter(LocalDate.parse(r[1])));
            }
        }
    }

    @Test
    void partsSplitStablyAndEvenly() {
        int[] counts = new int[4];
        for (long i = 0; i < 4000; i++) {
            int p = SimulatedData.partOf(DAY, i, 4);
            assertEquals(p, SimulatedData.partOf(DAY, i, 4));
            counts[p]++;
        }
        for (int c : counts) {
            assertTrue(c > 850 && c < 1150, "even split: " + c);
        }
        assertEquals(0, SimulatedData.partOf(DAY, 5, 1));
        assertEquals(SimulatedData.partOf(null, 7, 3), SimulatedData.partOf(null, 7, 3));
    }

    static List<String> flatten(List<String[]> rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.addAll(List.of(r)));
        return out;
    }

    static SourceSpec source(String name) {
        return FieldCatalog.get().source(name).orElseThrow();
    }
}
