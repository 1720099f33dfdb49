package org.appmetrica.loader.processor;

import jakarta.batch.api.chunk.ItemProcessor;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.appmetrica.loader.model.LoadSettings;
import org.appmetrica.loader.model.Slice;
import org.appmetrica.loader.model.SliceContext;
import org.appmetrica.loader.model.SliceProperties;
import org.appmetrica.loader.reader.RowBlock;
import org.appmetrica.loader.clickhouse.NativeBlock;
import org.appmetrica.loader.clickhouse.TableLayout;
import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.schema.SourceSpec;

import java.util.List;

/**
 * Maps a {@link RowBlock} to rows of the table (see {@link RowMapper}), appended to the chunk's
 * {@link MappedRows}, which it returns for every item of the chunk. Never drops a row: a value that does not parse fails
 * the chunk with the slice, row, field and value in the message.
 */
@Named
@Dependent
public class ColumnMappingItemProcessor implements ItemProcessor {

    @Inject
    JobContext jobContext;
    @Inject
    StepContext stepContext;

    private RowMapper mapper;
    private List<String[]> columns;
    private SliceContext context;
    private final List<MappedRows> pool = MappedRows.pool();
    private MappedRows current;

    @Override
    public Object processItem(Object item) {
        RowBlock block = (RowBlock) item;
        if (block.isNothing()) {
            return MappedRows.NOTHING;
        }
        if (mapper == null) {
            LoadSettings settings = SliceProperties.settings(jobContext);
            Slice slice = SliceProperties.slice(stepContext);
            SourceSpec source = FieldCatalog.get().source(slice.source()).orElseThrow();
            mapper = new RowMapper(source, settings.fields().get(slice.source()), slice.applicationId(), slice.partitionDay(),
                    slice.toString());
            columns = new TableLayout(source).columns();
            context = SliceContext.of(stepContext, slice);
        }
        if (current == null || !current.continuesAt(block.firstPosition())) {
            if (current != null) {
                current.discard(); // rows of a chunk rolled back before its write: read again from the checkpoint
            }
            current = MappedRows.take(pool, block.firstPosition(), columns);
        }
        NativeBlock out = current.block();
        long before = out.size();
        try {
            mapper.map(block, out);
        } catch (RuntimeException e) {
            current.discard();
            current = null;
            throw e;
        }
        current.added(block.rows());
        context.addMapped(block.rows(), out.size() - before);
        return current;
    }
}
