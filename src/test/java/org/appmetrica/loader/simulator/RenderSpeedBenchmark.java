package org.appmetrica.loader.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.schema.FieldSpec;
import org.appmetrica.loader.schema.SourceSpec;

/**
 * The simulator's rendering throughput of events with every field, CSV and JSON, and of the values alone (the bench's
 * exports must not be bound by the simulator; aim: well above 300k rows/s on 2 cores). Run by {@code .ci/bench}, which
 * prints the figures; not a test: wall-clock speed is no assertion of the suite.
 * {@code java -cp target/test-classes:target/appmetrica-loader.jar org.appmetrica.loader.simulator.RenderSpeedBenchmark [ROWS]}
 */
public final class RenderSpeedBenchmark {

    private static final class CountingSink extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }

    public static void main(String[] args) throws Exception {
        SourceSpec events = FieldCatalog.get().source("events").orElseThrow();
        List<String> fields = events.fields().stream().map(FieldSpec::name).toList();
        int rowsPerDay = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        SimulatedData data = new SimulatedData(7, rowsPerDay);
        ExportQuery q = new ExportQuery(events, false, 4242, List.of(LocalDate.of(2024, 3, 1)), fields, Map.of(),
                0, false, 1, 0, "speed");
        ExportQuery jq = new ExportQuery(events, true, 4242, q.days(), fields, Map.of(), 0, false, 1, 0, "speed");
        for (int i = 0; i < 3; i++) { // warm-up: let the JIT compile both paths
            render(data, q);
            render(data, jq);
        }
        double csv = 0;
        double json = 0;
        for (int run = 0; run < 3; run++) {
            long t0 = System.nanoTime();
            long rows = render(data, q);
            csv = Math.max(csv, rows / ((System.nanoTime() - t0) / 1e9));
            if (rows != rowsPerDay) {
                throw new IllegalStateException("rendered " + rows + " rows, not " + rowsPerDay);
            }
            t0 = System.nanoTime();
            rows = render(data, jq);
            json = Math.max(json, rows / ((System.nanoTime() - t0) / 1e9));
        }
        SimulatedData.Projection p = data.projection(4242, events, fields, Map.of());
        p.row.day(q.days().get(0));
        String[] values = new String[p.width()];
        long chars = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < rowsPerDay; i++) {
            p.select(i);
            p.values(values);
            chars += values[0].length();
        }
        double gen = rowsPerDay / ((System.nanoTime() - t0) / 1e9);
        System.out.printf("simulator render, events with %d fields, %d rows: CSV %.0f rows/s, JSON %.0f rows/s, values alone %.0f rows/s"
                + " (%d chars)%n", fields.size(), rowsPerDay, csv, json, gen, chars);
    }

    private static long render(SimulatedData data, ExportQuery q) throws IOException, ExportRenderer.TooLargeException {
        return ExportRenderer.render(data, q, 1, 0, 0, new CountingSink(), () -> false);
    }
}
