package org.appmetrica.loader.reader;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The reference CSV reader: Jackson's streaming CSV parser, as the loader read exports before its byte-level
 * {@link CsvRowSource}. {@code RowSourceCorpusTest} holds the two to the same rows on hostile input.
 */
public final class JacksonCsvReference implements AutoCloseable {

    private static final CsvFactory FACTORY = new CsvFactory();

    private final CsvParser parser;
    private final int width;
    private final String file;
    private long line = 1;

    public JacksonCsvReference(InputStream in, List<String> fields, String file) throws IOException {
        this.file = file;
        this.width = fields.size();
        Reader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
        reader.mark(1);
        if (reader.read() != '\uFEFF') { // optional byte order mark
            reader.reset();
        }
        this.parser = FACTORY.createParser(reader);
        parser.setSchema(CsvSchema.emptySchema());
        parser.enable(CsvParser.Feature.WRAP_AS_ARRAY); // one outer array, then one array per record
        if (parser.nextToken() != JsonToken.START_ARRAY) {
            throw new IOException(file + ": empty file, expected a CSV header");
        }
        String[] header = nextRecord();
        if (header == null || !Arrays.asList(header).equals(fields)) {
            throw new IOException(file + ": the CSV header " + (header == null ? "is missing" : Arrays.toString(header))
                    + " does not list the requested fields " + fields);
        }
    }

    /** One record through the streaming parser (no data binding): the cells, or null at the end. */
    private String[] nextRecord() throws IOException {
        JsonToken token = parser.nextToken();
        if (token == null || token == JsonToken.END_ARRAY) {
            return null;
        }
        if (token != JsonToken.START_ARRAY) {
            throw new IOException(file + ": unexpected " + token + " after row " + (line - 1));
        }
        String[] cells = new String[Math.max(width, 1)];
        int n = 0;
        while ((token = parser.nextToken()) == JsonToken.VALUE_STRING) {
            if (n == cells.length) {
                cells = Arrays.copyOf(cells, cells.length * 2);
            }
            cells[n++] = parser.getText();
        }
        if (token != JsonToken.END_ARRAY) {
            throw new IOException(file + ": the file ends inside row " + line + " (truncated)");
        }
        return n == cells.length ? cells : Arrays.copyOf(cells, n);
    }

    public String[] next() throws IOException {
        try {
            String[] row = nextRecord();
            if (row == null) {
                return null;
            }
            line++;
            if (row.length != width) {
                if (row.length == 1 && row[0].isEmpty()) {
                    return next(); // an empty line (a file with no rows ends with one)
                }
                throw new IOException(file + ": row " + (line - 1) + " has " + row.length + " values, expected " + width
                        + " (malformed or truncated file)");
            }
            return row;
        } catch (RuntimeException e) {
            throw new IOException(file + ": cannot parse CSV after row " + (line - 1) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
