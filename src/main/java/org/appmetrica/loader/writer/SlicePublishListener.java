package org.appmetrica.loader.writer;

import org.appmetrica.loader.metrics.Failures;
import org.appmetrica.loader.metrics.LoaderMetrics;
import jakarta.batch.api.chunk.listener.AbstractChunkListener;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.appmetrica.loader.model.SliceContext;
import org.appmetrica.loader.model.SliceProperties;
import org.appmetrica.loader.model.SliceReport;
import org.appmetrica.loader.model.SliceState;

/**
 * After every chunk (inside its transaction, before the checkpoint commit): publishes the slice once the reader has
 * reached the end of the export, and records progress in the partition's report. The runtime calls this after the
 * last chunk even when that chunk is empty, which the writer never sees.
 */
@Named
@Dependent
public class SlicePublishListener extends AbstractChunkListener {

    @Inject
    StepContext stepContext;
    @Inject
    jakarta.batch.runtime.context.JobContext jobContext;

    @Override
    public void onError(Exception e) {
        Failures.record(jobContext, stepContext, e);
    }

    @Override
    public void afterChunk() {
        SliceContext context = SliceContext.of(stepContext, SliceProperties.slice(stepContext));
        boolean publishedNow = context.publishIfExhausted();
        boolean published = publishedNow || context.published();
        Object current = stepContext.getPersistentUserData();
        SliceReport report = current instanceof SliceReport r ? r : SliceReport.start(context.slice().key(), SliceState.LOADING);
        if ((report.is(SliceState.NOT_STARTED) || report.is(SliceState.STOPPED_WAITING))
                && !published && context.rowsStaged() == 0) {
            return; // a stop ended it before it had rows: it says so
        }
        report = report.with(published ? SliceState.PUBLISHED : SliceState.LOADING, published ? 100 : report.apiProgress(),
                context.rowsStaged(), context.bytes(), System.currentTimeMillis() - context.startedMillis(), null);
        if (publishedNow) {
            report = report.timed(context.firstByteAt(), System.currentTimeMillis());
            LoaderMetrics.published(context.slice(), context.rowsStaged(), context.bytes());
        }
        stepContext.setPersistentUserData(report);
    }
}
