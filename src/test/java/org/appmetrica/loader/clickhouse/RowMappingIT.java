package org.appmetrica.loader.clickhouse;

import org.appmetrica.loader.processor.ApiValues;
import org.appmetrica.loader.processor.RowMapper;
import org.appmetrica.loader.reader.Cells;
import org.appmetrica.loader.reader.RowBlocks;
import org.appmetrica.loader.schema.ColumnType;
import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.schema.FieldSpec;
import org.appmetrica.loader.schema.SourceSpec;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * API rows mapped by the loader's processor, block by block and column by column, into Native blocks read back by the
 * server equal to the same values sent as text and parsed by the server itself: every column type the loader writes,
 * NULLs in each Nullable type, fields not requested, short, long and multi-byte strings, columns spanning pages.
 */
class RowMappingIT {

    private static final String DB = TestClickHouse.database("it_row_mapping");
    private static final List<String> SOURCES = List.of("events", "clicks", "profiles_v2");
    private static ClickHouseConnection connection;

    @BeforeAll
    static void connect() {
        connection = TestClickHouse.connect();
        TestClickHouse.recreate(connection, DB);
    }

    @AfterAll
    static void close() {
        connection.close();
    }

    @Test
    void theServerReadsTheMappedBlocksAsItParsesTheValues() throws Exception {
        for (String name : SOURCES) {
            SourceSpec source = FieldCatalog.get().source(name).orElseThrow();
            TableLayout layout = new TableLayout(source);
            connection.execute(layout.createTableSql(DB));
            connection.execute("CREATE TABLE " + DB + ".text_" + name + " AS " + DB + "." + name);
            List<FieldSpec> fields = source.fields();
            List<String> requested = new ArrayList<>(fields.stream().map(FieldSpec::name).toList());
            requested.remove(2);
            Collections.reverse(requested);
            Random random = new Random(name.hashCode() + 27);
            int rows = 20_000;
            LocalDate day = LocalDate.of(2024, 3, 1);
            RowMapper mapper = new RowMapper(source, requested, 77, day, name);
            NativeBlock block = new NativeBlock(layout.columns());
            StringBuilder text = new StringBuilder();
            for (int first = 0; first < rows; first += 512) {
                Cells[] cells = new Cells[Math.min(512, rows - first)];
                for (int r = 0; r < cells.length; r++) {
                    String[] values = new String[requested.size()];
                    for (int i = 0; i < values.length; i++) {
                        ColumnType type = source.field(requested.get(i)).orElseThrow().column();
                        values[i] = first + r == 4321 && type == ColumnType.STRING ? "ж".repeat(150_000) : ApiValues.random(type, random);
                    }
                    cells[r] = Cells.of(values);
                    text.append(77).append('\t').append(day).append('\t').append(first + r);
                    for (FieldSpec field : fields) {
                        int at = requested.indexOf(field.name());
                        Object v = at < 0 ? (field.column() == ColumnType.STRING ? "" : null) : ApiValues.parsed(field.column(), values[at]);
                        text.append('\t').append(tsv(field.column(), v));
                    }
                    text.append('\n');
                }
                mapper.map(RowBlocks.of(first, cells), block);
            }
            connection.insertNative(DB + "." + name, layout.columnNames(), block::writeTo);
            insertText(DB + ".text_" + name, text.toString());

            String all = "SELECT * FROM " + DB + ".";
            List<String[]> expected = connection.query(all + "text_" + name + " ORDER BY load_row");
            List<String[]> actual = connection.query(all + name + " ORDER BY load_row");
            assertEquals(rows, expected.size(), name);
            assertEquals(rows, actual.size(), name);
            for (int r = 0; r < rows; r++) {
                assertArrayEquals(expected.get(r), actual.get(r), name + ", row " + r);
            }
        }
    }

    private static String tsv(ColumnType type, Object v) {
        if (v == null) {
            return "\\N";
        }
        return switch (type) {
            case STRING -> ((String) v).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
            case UINT64 -> Long.toUnsignedString((Long) v);
            case INT64, BOOL -> v.toString();
            case DATE -> LocalDate.ofEpochDay((Long) v).toString();
            case DATETIME -> ApiValues.TIME.format(LocalDateTime.ofEpochSecond((Long) v, 0, ZoneOffset.UTC));
        };
    }

    /** The server parses the rows itself: an INSERT with TabSeparated text in the body. */
    private static void insertText(String table, String body) throws Exception {
        String query = URLEncoder.encode("INSERT INTO " + table + " FORMAT TabSeparated", StandardCharsets.UTF_8);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(TestClickHouse.URL + "/?query=" + query))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
    }
}
