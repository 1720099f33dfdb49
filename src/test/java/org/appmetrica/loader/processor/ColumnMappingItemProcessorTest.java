package org.appmetrica.loader.processor;

import org.appmetrica.loader.clickhouse.NativeDecoder;
import org.appmetrica.loader.model.Slice;
import org.appmetrica.loader.model.SliceProperties;
import org.appmetrica.loader.reader.Cells;
import org.appmetrica.loader.reader.RowBlock;
import org.appmetrica.loader.reader.RowBlocks;
import org.appmetrica.loader.testing.FakeJobContext;
import org.appmetrica.loader.testing.FakeStepContext;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ColumnMappingItemProcessorTest {

    private static final Slice SLICE = new Slice(5, "events", LocalDate.of(2024, 3, 1));

    private static ColumnMappingItemProcessor processor() {
        Properties job = new Properties();
        job.setProperty("applicationIds", "5");
        job.setProperty("sources", "events");
        job.setProperty("dateSince", "2024-03-01");
        job.setProperty("dateUntil", "2024-03-01");
        job.setProperty("fields.events", "event_name,mcc");
        job.setProperty("clickhouseUrl", "http://127.0.0.1:1");
        job.setProperty("clickhouseDatabase", "db");
        Properties step = new Properties();
        step.setProperty(SliceProperties.SLICE, SLICE.key());
        ColumnMappingItemProcessor processor = new ColumnMappingItemProcessor();
        processor.jobContext = new FakeJobContext(job, 1, 1);
        processor.stepContext = new FakeStepContext(step);
        return processor;
    }

    private static RowBlock block(long first, String... mcc) {
        Cells[] rows = new Cells[mcc.length];
        for (int i = 0; i < mcc.length; i++) {
            rows[i] = Cells.of("e" + (first + i), mcc[i]);
        }
        return RowBlocks.of(first, rows);
    }

    /**
     * A value that does not parse fails the chunk with its context; the chunk's rows are dropped, none of the failed
     * block's, and the rows read again from the checkpoint refill the same buffer from empty.
     */
    @Test
    void aBadValueFailsTheChunkAndLeavesNothingOfIt() throws Exception {
        ColumnMappingItemProcessor processor = processor();
        MappedRows chunk = (MappedRows) processor.processItem(block(0, "1", "2", "3"));
        assertEquals(3, chunk.rows());
        ValueParseException e = assertThrows(ValueParseException.class, () -> processor.processItem(block(3, "4", "5x", "6")));
        assertTrue(e.getMessage().contains("row 5, field mcc: value '5x'"), e.getMessage());
        MappedRows again = (MappedRows) processor.processItem(block(0, "1", "2", "3"));
        assertSame(chunk, again, "the failed chunk's buffer is free again");
        assertEquals(3, again.rows());
        List<NativeDecoder.Column> columns = NativeDecoder.decode(again.block().toByteArray());
        assertEquals(List.of(0L, 1L, 2L), column(columns, "load_row"));
        assertEquals(List.of(1L, 2L, 3L), column(columns, "mcc"));
        assertEquals(List.of("e0", "e1", "e2"), column(columns, "event_name"));
    }

    private static List<Object> column(List<NativeDecoder.Column> columns, String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().values();
    }
}
