package org.appmetrica.loader.simulator;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.LocalDate;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.appmetrica.loader.simulator.SimulatedData.Projection;

/** Streams one export (or one part of it) as the Logs API renders it: CSV or JSON, optional BOM. */
final class ExportRenderer {

    static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** The file (or part) would have more rows than allowed. */
    static final class TooLargeException extends Exception {
        private static final long serialVersionUID = 1L;

        TooLargeException() {
            super("Too much data. Try to use more parts.", null, false, false);
        }
    }

    private ExportRenderer() {
    }

    /**
     * Renders the rows of {@code query} that fall into part {@code partNumber} of {@code partsCount}.
     *
     * @param maxRows   0 = unlimited; more rows than this throw {@link TooLargeException}
     * @param cancelled polled every few thousand rows; true aborts with {@link InterruptedIOException}
     * @return number of data rows written
     */
    static long render(SimulatedData data, ExportQuery query, int partsCount, int partNumber, long maxRows,
                       OutputStream out, BooleanSupplier cancelled) throws IOException, TooLargeException {
        TextSink sink = new TextSink(out);
        if (query.bom()) {
            sink.bytes(BOM);
        }
        List<String> fields = query.fields();
        Projection p = data.projection(query.applicationId(), query.source(), fields, query.filters());
        String[] values = new String[p.width()];
        String[] jsonKeys = new String[fields.size()];
        for (int k = 0; k < jsonKeys.length; k++) {
            jsonKeys[k] = (k == 0 ? "{\"" : ",\"") + fields.get(k) + "\":";
        }
        boolean json = query.json();
        if (json) {
            sink.text("{\"data\":[");
        } else {
            for (int k = 0; k < fields.size(); k++) {
                if (k > 0) {
                    sink.ascii(',');
                }
                sink.csv(fields.get(k));
            }
        }
        long limit = query.limit();
        boolean scanAll = p.hasFilters() || limit > 0;
        long rows = 0;
        long matched = 0;
        outer:
        for (LocalDate day : query.days()) {
            long count = data.rowCount(query.applicationId(), query.source(), day);
            p.row.day(day);
            for (long i = 0; i < count; i++) {
                if ((i & 0xFFF) == 0 && cancelled.getAsBoolean()) {
                    throw new InterruptedIOException("rendering cancelled");
                }
                if (scanAll) {
                    if (!p.select(i)) {
                        continue;
                    }
                    if (limit > 0 && ++matched > limit) {
                        break outer;
                    }
                    if (partsCount > 1 && SimulatedData.partOf(day, i, partsCount) != partNumber) {
                        continue;
                    }
                } else {
                    if (partsCount > 1 && SimulatedData.partOf(day, i, partsCount) != partNumber) {
                        continue;
                    }
                    p.select(i);
                }
                if (maxRows > 0 && rows >= maxRows) {
                    throw new TooLargeException();
                }
                rows++;
                p.values(values);
                if (json) {
                    if (rows > 1) {
                        sink.ascii(',');
                        sink.ascii('\n');
                    }
                    for (int k = 0; k < values.length; k++) {
                        sink.text(jsonKeys[k]);
                        sink.json(values[k]);
                    }
                    sink.ascii('}');
                } else {
                    sink.ascii('\n');
                    for (int k = 0; k < values.length; k++) {
                        if (k > 0) {
                            sink.ascii(',');
                        }
                        sink.csv(values[k]);
                    }
                }
            }
        }
        if (json) {
            sink.ascii(']');
            sink.ascii('}');
        } else if (rows == 0) {
            sink.ascii('\n');
        }
        sink.flush();
        return rows;
    }
}
