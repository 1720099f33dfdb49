package org.appmetrica.loader.simulator;

import org.appmetrica.loader.reader.Cells;
import org.appmetrica.loader.reader.CsvRowSource;
import org.appmetrica.loader.reader.JacksonCsvReference;
import org.appmetrica.loader.reader.JsonRowSource;
import org.appmetrica.loader.reader.RowSource;
import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.schema.FieldSpec;
import org.appmetrica.loader.schema.SourceSpec;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every source, every field, the same simulated rows rendered as CSV and as JSON: the loader's byte-level CSV reader,
 * its JSON reader and the Jackson CSV reference must read the very same values.
 */
class ExportFormatsAgreeTest {

    @Test
    void csvJsonAndTheJacksonReferenceReadTheSameValues() throws Exception {
        SimulatedData data = new SimulatedData(11, 700);
        LocalDate day = LocalDate.of(2024, 3, 1);
        for (SourceSpec source : FieldCatalog.get().sources()) {
            List<String> fields = source.fields().stream().map(FieldSpec::name).toList();
            List<LocalDate> days = new ArrayList<>();
            days.add(source.datesRequired() ? day : null); // a dateless source (push tokens) renders everything at once
            byte[] csv = render(data, new ExportQuery(source, false, 77, days, fields, Map.of(), 0, false, 1, 0, "agree"));
            byte[] json = render(data, new ExportQuery(source, true, 77, days, fields, Map.of(), 0, false, 1, 0, "agree"));
            List<List<String>> fromCsv = rows(new CsvRowSource(new ByteArrayInputStream(csv), fields, "x.csv"));
            assertEquals(700, fromCsv.size(), source.name());
            assertEquals(fromCsv, rows(new JsonRowSource(new ByteArrayInputStream(json), fields, "x.json")), source.name() + " JSON");
            List<List<String>> reference = new ArrayList<>();
            try (JacksonCsvReference jackson = new JacksonCsvReference(new ByteArrayInputStream(csv), fields, "x.csv")) {
                for (String[] row = jackson.next(); row != null; row = jackson.next()) {
                    reference.add(List.of(row));
                }
            }
            assertEquals(reference, fromCsv, source.name() + " CSV");
        }
    }

    private static List<List<String>> rows(RowSource source) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (source) {
            for (Cells cells = source.next(); cells != null; cells = source.next()) {
                rows.add(List.of(cells.strings()));
            }
        }
        return rows;
    }

    private static byte[] render(SimulatedData data, ExportQuery q) throws IOException, ExportRenderer.TooLargeException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExportRenderer.render(data, q, 1, 0, 0, out, () -> false);
        return out.toByteArray();
    }
}
