package org.appmetrica.loader.processor;

import org.appmetrica.loader.clickhouse.NativeBlock;
import org.appmetrica.loader.clickhouse.NativeDecoder;
import org.appmetrica.loader.clickhouse.TableLayout;
import org.appmetrica.loader.reader.Cells;
import org.appmetrica.loader.schema.ColumnType;
import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.schema.SourceSpec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RowMapperTest {

    private final FieldCatalog catalog = FieldCatalog.get();

    @Test
    void fieldTypesFollowTheSpec() {
        SourceSpec events = catalog.source("events").orElseThrow();
        assertEquals(ColumnType.UINT64, events.field("appmetrica_device_id").orElseThrow().column());
        assertEquals(ColumnType.DATETIME, events.field("event_datetime").orElseThrow().column());
        assertEquals(ColumnType.UINT64, events.field("event_timestamp").orElseThrow().column());
        assertEquals(ColumnType.UINT64, events.field("session_id").orElseThrow().column());
        assertEquals(ColumnType.INT64, events.field("mcc").orElseThrow().column());
        assertEquals(ColumnType.STRING, events.field("event_json").orElseThrow().column());
        assertEquals(ColumnType.STRING, events.field("os_version").orElseThrow().column());
        assertEquals(ColumnType.BOOL, catalog.source("clicks").orElseThrow().field("is_bot").orElseThrow().column());
        assertEquals(ColumnType.DATE, catalog.source("profiles_v2").orElseThrow().field("appmetrica_first_session_date").orElseThrow().column());
        assertEquals(ColumnType.UINT64, catalog.source("crashes").orElseThrow().field("crash_id").orElseThrow().column());
        assertEquals(14, catalog.sources().size());
        assertTrue(catalog.source("profiles_v2").orElseThrow().field("<any attribute name>").isEmpty());
        assertEquals(76, catalog.source("ecommerce_events").orElseThrow().defaultFields().size());
    }

    @Test
    void encodesANativeBlockInTableOrder() {
        SourceSpec clicks = catalog.source("clicks").orElseThrow();
        RowMapper mapper = new RowMapper(clicks, List.of("tracking_id", "is_bot", "click_datetime"), 7, LocalDate.of(2024, 3, 1), "slice");
        List<NativeDecoder.Column> columns = NativeDecoder.decode(mapper.map(5, new String[] {"18446744073709551615", "true", "2024-03-01 10:11:12"}));
        List<String[]> layout = new TableLayout(clicks).columns();
        assertEquals(layout.size(), columns.size());
        for (int i = 0; i < layout.size(); i++) {
            assertEquals(layout.get(i)[0], columns.get(i).name());
            assertEquals(layout.get(i)[1], columns.get(i).type());
        }
        assertEquals(List.of(7L), value(columns, "load_application_id"));
        assertEquals(List.of(LocalDate.of(2024, 3, 1).toEpochDay()), value(columns, "load_date"));
        assertEquals(List.of(5L), value(columns, "load_row"));
        assertEquals(Collections.singletonList(null), value(columns, "application_id"), "not requested: NULL");
        assertEquals(List.of(LocalDate.of(2024, 3, 1).toEpochDay() * 86400 + 10 * 3600 + 11 * 60 + 12), value(columns, "click_datetime"));
        assertEquals(List.of(""), value(columns, "click_id"), "a String not requested: empty");
        assertEquals(List.of(-1L), value(columns, "tracking_id"), "2^64 - 1 as its signed bits");
        assertEquals(List.of(1L), value(columns, "is_bot"));
    }

    /** A row that fails half way leaves nothing in the block: the rows around it come out whole. */
    @Test
    void aRowThatFailsLeavesNoValueBehind() {
        SourceSpec events = catalog.source("events").orElseThrow();
        List<String> fields = List.of("event_name", "appmetrica_device_id", "mcc", "event_json");
        RowMapper mapper = new RowMapper(events, fields, 3, LocalDate.of(2024, 3, 1), "s");
        NativeBlock block = new NativeBlock(new TableLayout(events).columns());
        mapper.map(0, Cells.of("first", "1", "250", "{}"), block);
        long size = block.size();
        assertThrows(ValueParseException.class, () -> mapper.map(1, Cells.of("bad", "2", "25x", "{\"a\":1}"), block));
        assertEquals(1, block.rows());
        assertEquals(size, block.size(), "the failed row's values were dropped");
        mapper.map(1, Cells.of("second", "3", "", "{\"b\":2}"), block);
        List<NativeDecoder.Column> columns = NativeDecoder.decode(block.toByteArray());
        assertEquals(List.of("first", "second"), value(columns, "event_name"));
        assertEquals(List.of(1L, 3L), value(columns, "appmetrica_device_id"));
        assertEquals(Arrays.asList(250L, null), value(columns, "mcc"));
        assertEquals(List.of("{}", "{\"b\":2}"), value(columns, "event_json"));
        assertEquals(List.of(0L, 1L), value(columns, "load_row"));
    }

    private static List<Object> value(List<NativeDecoder.Column> columns, String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().values();
    }

    @Test
    void emptyTypedValuesAreNullAndBadOnesAreReportedWithContext() {
        SourceSpec events = catalog.source("events").orElseThrow();
        RowMapper mapper = new RowMapper(events, List.of("mcc", "event_name"), 1, LocalDate.of(2024, 3, 1), "app 1 events 2024-03-01");
        mapper.map(0, new String[] {"", "open"});
        ValueParseException e = assertThrows(ValueParseException.class, () -> mapper.map(41, new String[] {"25x", "open"}));
        assertTrue(e.getMessage().contains("app 1 events 2024-03-01, row 42, field mcc: value '25x'"), e.getMessage());
        byte[] lateHour = "2024-03-01 25:00:00".getBytes(StandardCharsets.US_ASCII);
        assertThrows(IllegalArgumentException.class, () -> RowMapper.parseDateTime(lateHour, 0, lateHour.length));
        assertThrows(ValueParseException.class, () -> new RowMapper(events, List.of("event_datetime"), 1, LocalDate.EPOCH, "s")
                .map(0, new String[] {"2024/03/01 10:00:00"}));
    }

    @Test
    void daysCountAsLocalDateCountsThemAndImpossibleDaysFail() {
        for (LocalDate d = LocalDate.of(1969, 1, 1); d.isBefore(LocalDate.of(2201, 1, 1)); d = d.plusDays(1)) {
            assertEquals(d.toEpochDay(), RowMapper.epochDay(d.toString().getBytes(StandardCharsets.US_ASCII), 0), d.toString());
        }
        for (String impossible : List.of("2023-02-29", "2100-02-29", "2024-04-31", "2024-13-01", "2024-00-10", "2024-01-00", "2024-01-32")) {
            assertThrows(IllegalArgumentException.class, () -> RowMapper.epochDay(impossible.getBytes(StandardCharsets.US_ASCII), 0), impossible);
        }
        assertEquals(LocalDate.of(2000, 2, 29).toEpochDay(), RowMapper.epochDay("2000-02-29".getBytes(StandardCharsets.US_ASCII), 0));
    }
}
