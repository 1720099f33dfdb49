package org.appmetrica.loader.reader;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON export rows ({@code {"data":[{...},...]}}) through Jackson's streaming parser: one row object at a time,
 * never the whole document. Accepts values as strings (the usual form), numbers, booleans, and nested objects or
 * arrays (kept as JSON text). A truncated or malformed body fails with its position.
 */
public final class JsonRowSource implements RowSource {

    /** Characters of one JSON string: as a row's UTF-8 it stays within {@link RowBuffer#MAX_ROW_BYTES}. */
    static final int MAX_STRING_CHARS = RowBuffer.MAX_ROW_BYTES / 4;
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_STRING_CHARS).build()).build());
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private final JsonParser parser;
    private final Map<String, Integer> index = new HashMap<>();
    private final int width;
    private final String file;
    private final RowBuffer values = new RowBuffer();
    private final RowBuffer cells = new RowBuffer();
    private final int[] starts;
    private final int[] ends;
    private long row;
    private boolean done;

    public JsonRowSource(InputStream in, List<String> fields, String file) throws IOException {
        this.file = file;
        this.width = fields.size();
        this.starts = new int[width];
        this.ends = new int[width];
        for (int i = 0; i < fields.size(); i++) {
            index.putIfAbsent(fields.get(i), i);
        }
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(3);
        if (!(buffered.read() == 0xEF && buffered.read() == 0xBB && buffered.read() == 0xBF)) {
            buffered.reset();
        }
        this.parser = FACTORY.createParser(buffered);
        expect(parser.nextToken(), JsonToken.START_OBJECT);
        expect(parser.nextToken(), JsonToken.FIELD_NAME);
        if (!"data".equals(parser.currentName())) {
            throw new IOException(file + ": expected the key \"data\", found \"" + parser.currentName() + "\"");
        }
        expect(parser.nextToken(), JsonToken.START_ARRAY);
    }

    @Override
    public Cells next() throws IOException {
        if (done) {
            return null;
        }
        try {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.END_ARRAY) {
                expect(parser.nextToken(), JsonToken.END_OBJECT);
                if (parser.nextToken() != null) {
                    throw new IOException(file + ": unexpected content after the data array");
                }
                done = true;
                return null;
            }
            expect(token, JsonToken.START_OBJECT);
            row++;
            // values in arrival order into one buffer, then in requested order into the row: no String per value
            values.reset();
            Arrays.fill(starts, -1);
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                Integer i = index.get(parser.currentName());
                token = parser.nextToken();
                if (i != null && starts[i] < 0) {
                    starts[i] = values.size();
                    appendValue(token);
                    ends[i] = values.size();
                } else {
                    valueText(token); // skipped, but checked
                }
            }
            expect(token, JsonToken.END_OBJECT);
            cells.reset();
            for (int i = 0; i < width; i++) {
                if (starts[i] < 0) {
                    throw new IOException(file + ": row " + row + " lacks a requested field (position " + (i + 1) + ")");
                }
                cells.append(values, starts[i], ends[i]);
                cells.endCell();
            }
            return cells.view();
        } catch (StreamConstraintsException | RowTooLargeException e) {
            throw new RowTooLargeException(file + ": row " + row + ": a field larger than " + (MAX_STRING_CHARS >> 20)
                    + " M characters or a row larger than " + (RowBuffer.MAX_ROW_BYTES >> 20) + " MB; the export is refused");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": malformed or truncated JSON in row " + row + ": " + e.getOriginalMessage(), e);
        }
    }

    private void appendValue(JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            int offset = parser.getTextOffset();
            try {
                values.append(parser.getTextCharacters(), offset, offset + parser.getTextLength());
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": row " + row + ": " + e.getMessage(), e);
            }
        } else {
            values.append(valueText(token));
        }
    }

    private String valueText(JsonToken token) throws IOException {
        if (token == null) {
            throw new IOException(file + ": the body ends inside row " + row + " (truncated file)");
        }
        return switch (token) {
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getText();
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case VALUE_NULL -> "";
            case START_OBJECT, START_ARRAY -> MAPPER.writeValueAsString(MAPPER.readTree(parser));
            default -> throw new IOException(file + ": unexpected " + token + " in row " + row);
        };
    }

    private void expect(JsonToken actual, JsonToken wanted) throws IOException {
        if (actual != wanted) {
            throw new IOException(file + ": malformed or truncated JSON near row " + row + ": expected " + wanted + ", found "
                    + (actual == null ? "the end of the body" : actual));
        }
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
