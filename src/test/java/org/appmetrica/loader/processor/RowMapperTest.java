package org.appmetrica.loader.processor;

import org.appmetrica.loader.schema.ColumnType;
import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.schema.SourceSpec;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
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
    void encodesRowBinaryInTableOrder() {
        SourceSpec clicks = catalog.source("clicks").orElseThrow();
        RowMapper mapper = new RowMapper(clicks, List.of("tracking_id", "is_bot", "click_datetime"), 7, LocalDate.of(2024, 3, 1), "slice");
        byte[] row = mapper.map(5, new String[] {"18446744073709551615", "true", "2024-03-01 10:11:12"});
        ByteBuffer b = ByteBuffer.wrap(row).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(7, b.getLong());
        assertEquals(LocalDate.of(2024, 3, 1).toEpochDay(), b.getShort());
        assertEquals(5, b.getLong());
        // clicks: application_id (not requested: NULL), click_datetime, click_id ('' String), ...
        assertEquals(1, b.get()); // application_id NULL
        assertEquals(0, b.get()); // click_datetime not null
        assertEquals(LocalDate.of(2024, 3, 1).toEpochDay() * 86400 + 10 * 3600 + 11 * 60 + 12, Integer.toUnsignedLong(b.getInt()));
        assertEquals(0, b.get()); // click_id: empty string, length 0
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
