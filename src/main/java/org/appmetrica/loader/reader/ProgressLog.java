package org.appmetrica.loader.reader;

import jakarta.batch.runtime.context.StepContext;
import org.appmetrica.loader.model.Human;
import org.appmetrica.loader.model.Slice;
import org.appmetrica.loader.model.SliceReport;
import org.appmetrica.loader.logsapi.ExportProgress;
import org.appmetrica.loader.logsapi.ExportRequest;
import org.appmetrica.loader.metrics.LoaderMetrics;
import org.appmetrica.loader.model.SliceState;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Progress lines for people, and the API state in the partition's report. */
final class ProgressLog implements ExportProgress {

    private static final Logger LOG = Logger.getLogger("org.appmetrica.loader.progress");

    private final Slice slice;
    private final StepContext stepContext;
    private int lastPercent = -2;

    ProgressLog(Slice slice, StepContext stepContext) {
        this.slice = slice;
        this.stepContext = stepContext;
    }

    @Override
    public void requested(ExportRequest request) {
        org.appmetrica.loader.config.Timeline.mark(request.describe() + ": requesting");
        LOG.info(request.describe() + ": requested");
        report(SliceState.REQUESTED, -1, null);
        LoaderMetrics.requested(slice);
    }

    @Override
    public void waiting(ExportRequest request, String apiText, int percent) {
        if (percent != lastPercent) {
            LOG.info(request.describe() + ": waiting in the API queue" + (percent >= 0 ? " (" + percent + "%)" : "") + ": " + apiText.strip());
            lastPercent = percent;
        }
        report(SliceState.QUEUED, percent, apiText.strip());
        LoaderMetrics.waited(slice);
    }

    @Override
    public void rateLimited(ExportRequest request, String apiText) {
        LOG.info(request.describe() + ": the API queue of this application is full, waiting: " + apiText.strip());
        report(SliceState.RATE_LIMITED, -1, apiText.strip());
        LoaderMetrics.rateLimited(slice);
    }

    @Override
    public void retrying(ExportRequest request, String reason, int attempt) {
        LOG.warning(request.describe() + ": retry " + attempt + " after " + reason);
        report(SliceState.RETRYING, -1, reason);
        LoaderMetrics.retrying(reason);
    }

    @Override
    public void downloaded(ExportRequest request, long bytes, long millis) {
        // for people the size in their units; the exact figures for --log-format json (JsonLogFormatter)
        LOG.log(Level.INFO, request.describe() + ": downloaded " + Human.bytes(bytes) + " in " + millis + " ms, loading",
                Map.of("state", "downloaded", "bytes", bytes, "durationMillis", millis));
        report(SliceState.LOADING, 100, null);
    }

    private void report(SliceState state, int percent, String message) {
        Object current = stepContext.getPersistentUserData();
        SliceReport report = current instanceof SliceReport r ? r : SliceReport.start(slice.key(), state);
        stepContext.setPersistentUserData(report.with(state, percent, report.rows(), report.bytes(), report.millis(), message));
    }
}
