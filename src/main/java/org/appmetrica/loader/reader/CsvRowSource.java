package org.appmetrica.loader.reader;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
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
 * CSV export rows through Jackson's streaming CSV parser (RFC 4180 quoting, values with commas, quotes and line
 * breaks). Checks the header against the requested fields and every row's cell count, so a malformed or
 * truncated file fails instead of loading shifted values. Invalid UTF-8 is an error too.
 */
public final class CsvRowSource implements RowSource {

    private static final CsvMapper MAPPER = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);

    private final MappingIterator<String[]> rows;
    private final int width;
    private final String file;
    private long line = 1;

    public CsvRowSource(InputStream in, List<String> fields, String file) throws IOException {
        this.file = file;
        this.width = fields.size();
        Reader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
        reader.mark(1);
        if (reader.read() != '\uFEFF') { // optional byte order mark
            reader.reset();
        }
        this.rows = MAPPER.readerFor(String[].class).with(CsvSchema.emptySchema()).readValues(reader);
        String[] header = rows.hasNextValue() ? rows.nextValue() : null;
        if (header == null || !Arrays.asList(header).equals(fields)) {
            throw new IOException(file + ": the CSV header " + (header == null ? "is missing" : Arrays.toString(header))
                    + " does not list the requested fields " + fields);
        }
    }

    @Override
    public String[] next() throws IOException {
        try {
            if (!rows.hasNextValue()) {
                return null;
            }
            String[] row = rows.nextValue();
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
        rows.close();
    }
}
