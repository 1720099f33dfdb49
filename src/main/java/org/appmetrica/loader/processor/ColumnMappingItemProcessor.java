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
import org.appmetrica.loader.reader.ExportRow;
import org.appmetrica.loader.schema.FieldCatalog;

/**
 * Maps an {@link ExportRow} to the RowBinary bytes of one table row (see {@link RowMapper}). Never drops a row:
 * a value that does not parse fails the chunk with the slice, row, field and value in the message.
 */
@Named
@Dependent
public class ColumnMappingItemProcessor implements ItemProcessor {

    /** Passed through for {@link ExportRow#NOTHING}; the writer ignores it. */
    public static final byte[] NOTHING = new byte[0];

    @Inject
    JobContext jobContext;
    @Inject
    StepContext stepContext;

    private RowMapper mapper;
    private SliceContext context;

    @Override
    public Object processItem(Object item) {
        ExportRow row = (ExportRow) item;
        if (row.isNothing()) {
            return NOTHING;
        }
        if (mapper == null) {
            LoadSettings settings = SliceProperties.settings(jobContext);
            Slice slice = SliceProperties.slice(stepContext);
            mapper = new RowMapper(FieldCatalog.get().source(slice.source()).orElseThrow(), settings.fields().get(slice.source()),
                    slice.applicationId(), slice.partitionDay(), slice.toString());
            context = SliceContext.of(stepContext, slice);
        }
        byte[] mapped = mapper.map(row.position(), row.cells());
        context.addMappedBytes(mapped.length);
        return mapped;
    }
}
