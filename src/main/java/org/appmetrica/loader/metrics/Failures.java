package org.appmetrica.loader.metrics;

import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;

/** Records why a step or partition failed in its exit status (and the job's), where the admin tools show it. */
public final class Failures {

    private static final int MAX = 1900; // exit status columns hold about 2 KB

    private Failures() {
    }

    public static void record(JobContext jobContext, StepContext stepContext, Throwable e) {
        LoaderMetrics.failed(e);
        String reason = reason(e);
        if (stepContext != null) {
            stepContext.setExitStatus(reason);
        }
        if (jobContext != null && (jobContext.getExitStatus() == null || !jobContext.getExitStatus().startsWith("FAILED:"))) {
            jobContext.setExitStatus(reason);
        }
    }

    public static String reason(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String reason = "FAILED: " + message.replaceAll("\\s+", " ").trim();
        return reason.length() > MAX ? reason.substring(0, MAX) + "…" : reason;
    }
}
