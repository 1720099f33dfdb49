package org.appmetrica.loader.reader;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CSV and JSON export parsing: quoting, BOM, nested payloads, and every way a body can be broken. */
class RowSourceTest {

    private static final List<String> FIELDS = List.of("event_name", "event_json", "city");

    /** A row source's rows as text. */
    interface TextRows {
        String[] next() throws IOException;
    }

    private static TextRows text(RowSource source) {
        return () -> {
            Cells cells = source.next();
            return cells == null ? null : cells.strings();
        };
    }

    private static TextRows csv(String body) throws IOException {
        return text(new CsvRowSource(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), FIELDS, "test.csv"));
    }

    private static TextRows json(String body) throws IOException {
        return text(new JsonRowSource(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), FIELDS, "test.json"));
    }

    @Test
    void csvQuotingBomEmptyCellsAndNoTrailingNewline() throws IOException {
        TextRows rows = csv("\uFEFFevent_name,event_json,city\n\"a,b\",\"{\"\"k\"\":\"\"v\\n\"\"}\",\"Москва\nline\"\n,,\nlast,\"x\"\"y\",São Paulo");
        assertArrayEquals(new String[] {"a,b", "{\"k\":\"v\\n\"}", "Москва\nline"}, rows.next());
        assertArrayEquals(new String[] {"", "", ""}, rows.next());
        assertArrayEquals(new String[] {"last", "x\"y", "São Paulo"}, rows.next());
        assertNull(rows.next());
        assertNull(csv("event_name,event_json,city\n").next());
    }

    @Test
    void jsonStringsNumbersNestedPayloadsAndBom() throws IOException {
        TextRows rows = json("\uFEFF{\"data\":[{\"event_name\":\"open\",\"event_json\":{\"a\":[1,2]},\"city\":\"Kazan\"},\n"
                + "{\"city\":\"\",\"event_name\":5,\"event_json\":\"{\\\"q\\\":\\\"\\\\u0041\\\"}\"}]}");
        assertArrayEquals(new String[] {"open", "{\"a\":[1,2]}", "Kazan"}, rows.next());
        assertArrayEquals(new String[] {"5", "{\"q\":\"\\u0041\"}", ""}, rows.next());
        assertNull(rows.next());
    }

    @Test
    void anEnormousValueIsKeptWhole() throws IOException {
        String big = "x".repeat(5_000_000);
        TextRows rows = csv("event_name,event_json,city\n" + big + ",\"" + big + "\",c");
        String[] row = rows.next();
        assertTrue(row[0].length() == 5_000_000 && row[1].length() == 5_000_000);
    }

    @Test
    void brokenBodiesFailInsteadOfLoadingPartialOrShiftedRows() throws IOException {
        assertThrows(IOException.class, () -> csv("event_name,city\na,b"), "header does not match the requested fields");
        TextRows shifted = csv("event_name,event_json,city\na,b,c\nd,e");
        shifted.next();
        assertTrue(assertThrows(IOException.class, shifted::next).getMessage().contains("has 2 values, expected 3"));
        TextRows cutInQuotes = csv("event_name,event_json,city\na,\"b,c");
        assertThrows(IOException.class, cutInQuotes::next);

        TextRows truncated = json("{\"data\":[{\"event_name\":\"a\",\"event_json\":\"\",\"city\":\"b\"},{\"event_name\":\"c\",\"ev");
        truncated.next();
        assertTrue(assertThrows(IOException.class, truncated::next).getMessage().contains("truncated"));
        TextRows unclosed = json("{\"data\":[{\"event_name\":\"a\",\"event_json\":\"\",\"city\":\"b\"}");
        unclosed.next();
        assertThrows(IOException.class, unclosed::next);
        TextRows missingField = json("{\"data\":[{\"event_name\":\"a\",\"city\":\"b\"}]}");
        assertTrue(assertThrows(IOException.class, missingField::next).getMessage().contains("lacks a requested field"));
    }

    @Test
    void invalidUtf8IsAnError() {
        byte[] head = "event_name,event_json,city\nab".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + 4];
        System.arraycopy(head, 0, body, 0, head.length);
        body[head.length] = (byte) 0xC3; // a lead byte followed by ASCII: malformed
        body[head.length + 1] = 'x';
        body[head.length + 2] = ',';
        body[head.length + 3] = ',';
        assertThrows(IOException.class, () -> {
            RowSource rows = new CsvRowSource(new ByteArrayInputStream(body), FIELDS, "bad.csv");
            rows.next();
        });
        byte[] jsonBody = "{\"data\":[{\"event_name\":\"\u0000\",\"event_json\":\"\",\"city\":\"b\"}]}".getBytes(StandardCharsets.UTF_8);
        jsonBody[24] = (byte) 0xFF;
        assertThrows(IOException.class, () -> new JsonRowSource(new ByteArrayInputStream(jsonBody), FIELDS, "bad.json").next());
    }
}
