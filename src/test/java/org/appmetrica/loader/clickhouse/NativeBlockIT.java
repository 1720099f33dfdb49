package org.appmetrica.loader.clickhouse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Native blocks as ClickHouse reads them: the same rows written by {@link NativeBlock} into one table and as
 * TabSeparated text, parsed by the server itself, into another must read back equal, for every type the loader writes,
 * NULLs, empty and multi-byte strings, a string longer than a page, and UInt64 above 2^63.
 */
class NativeBlockIT {

    private static final String DB = TestClickHouse.database("it_native_block");
    private static final List<String[]> COLUMNS = List.of(new String[] {"id", "UInt64"}, new String[] {"d", "Date"},
            new String[] {"s", "String"}, new String[] {"i", "Nullable(Int64)"}, new String[] {"u", "Nullable(UInt64)"},
            new String[] {"b", "Nullable(UInt8)"}, new String[] {"nd", "Nullable(Date)"},
            new String[] {"dt", "Nullable(DateTime('UTC'))"});
    private static final String[] TEXTS = {"", "plain", "привет, мир", "😀 four-byte", "tab\there", "line\nbreak",
            "back\\slash", "quote\"'", "日本語"};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static ClickHouseConnection connection;

    @BeforeAll
    static void connect() {
        connection = TestClickHouse.connect();
        TestClickHouse.recreate(connection, DB);
        for (String t : List.of("native", "text")) {
            StringBuilder sql = new StringBuilder("CREATE TABLE " + DB + "." + t + " (");
            for (int i = 0; i < COLUMNS.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(COLUMNS.get(i)[0]).append(' ').append(COLUMNS.get(i)[1]);
            }
            connection.execute(sql + ") ENGINE = MergeTree ORDER BY id");
        }
    }

    @AfterAll
    static void close() {
        connection.close();
    }

    @Test
    void theServerReadsBackWhatItParsesFromText() throws Exception {
        Random random = new Random(27);
        NativeBlock block = new NativeBlock(COLUMNS);
        NativeColumn[] c = block.columns();
        StringBuilder text = new StringBuilder();
        int rows = 5000;
        for (int r = 0; r < rows; r++) {
            long day = random.nextInt(40_000);
            String s = r == 1234 ? "ю".repeat(200_000) : TEXTS[random.nextInt(TEXTS.length)] + (random.nextBoolean() ? r : "");
            Long i = random.nextInt(5) == 0 ? null : switch (r % 4) {
                case 0 -> Long.MIN_VALUE;
                case 1 -> Long.MAX_VALUE;
                default -> random.nextLong();
            };
            Long u = random.nextInt(5) == 0 ? null : r % 3 == 0 ? -1L : r % 3 == 1 ? Long.MIN_VALUE : random.nextLong();
            Long b = random.nextInt(5) == 0 ? null : (long) random.nextInt(2);
            Long nd = random.nextInt(5) == 0 ? null : (long) random.nextInt(48_000); // 18.16 parses text dates up to 2105 only
            Long dt = random.nextInt(5) == 0 ? null : (long) random.nextInt(2_000_000_000) * 2;
            c[0].int64(r);
            c[1].uint16((int) day);
            c[2].string(s);
            nullable(c[3], i, () -> c[3].int64(i));
            nullable(c[4], u, () -> c[4].int64(u));
            nullable(c[5], b, () -> c[5].uint8(b.intValue()));
            nullable(c[6], nd, () -> c[6].uint16(nd.intValue()));
            nullable(c[7], dt, () -> c[7].uint32(dt));
            block.rowDone();
            text.append(r).append('\t').append(LocalDate.ofEpochDay(day)).append('\t').append(escape(s)).append('\t')
                    .append(i == null ? "\\N" : i.toString()).append('\t')
                    .append(u == null ? "\\N" : Long.toUnsignedString(u)).append('\t')
                    .append(b == null ? "\\N" : b.toString()).append('\t')
                    .append(nd == null ? "\\N" : LocalDate.ofEpochDay(nd).toString()).append('\t')
                    .append(dt == null ? "\\N" : TIME.format(LocalDateTime.ofEpochSecond(dt, 0, ZoneOffset.UTC)))
                    .append('\n');
        }
        assertTrue(block.size() > 2 * 256 * 1024, "the long string spans more than a page");
        List<String> names = COLUMNS.stream().map(n -> n[0]).toList();
        connection.insertNative(DB + ".native", names, block::writeTo);
        insertText(DB + ".text", text.toString());

        assertEquals(String.valueOf(rows), connection.queryValue("SELECT count() FROM " + DB + ".native"));
        String sample = "SELECT count(), countIf(isNull(i)), countIf(u > 9223372036854775807), countIf(s = ''),"
                + " max(length(s)) FROM " + DB + ".";
        assertArrayEquals(connection.query(sample + "text").get(0), connection.query(sample + "native").get(0));
        List<String[]> expected = connection.query("SELECT * FROM " + DB + ".text ORDER BY id");
        List<String[]> actual = connection.query("SELECT * FROM " + DB + ".native ORDER BY id");
        assertEquals(rows, actual.size());
        for (int r = 0; r < rows; r++) {
            assertArrayEquals(expected.get(r), actual.get(r), "row " + r);
        }
    }

    private static void nullable(NativeColumn column, Long value, Runnable write) {
        if (value == null) {
            column.nullValue();
        } else {
            write.run();
        }
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }

    /** The server parses the rows itself: an INSERT with TabSeparated text in the body. */
    private static void insertText(String table, String body) throws Exception {
        String query = URLEncoder.encode("INSERT INTO " + table + " FORMAT TabSeparated", StandardCharsets.UTF_8);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(TestClickHouse.URL + "/?query=" + query))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
    }
}
