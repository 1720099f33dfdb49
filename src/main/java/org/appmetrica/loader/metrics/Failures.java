package org.appmetrica.loader.metrics;

import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;

/** Records why a step or partition failed in its exit status (and the job's), where the admin tools show it. */
public final class Failures {

    /**
     * JBeret's EXITSTATUS columns are VARCHAR(512) (its jberet.ddl, job, step and partition executions): a longer status
     * fails the repository's update and leaves the execution STARTED for ever. Characters, and a margin for the ellipsis.
     */
    public static final int MAX = 500;

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
        return exitStatus(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    /** "FAILED: message" on one line, cut to fit the repository's column. */
    public static String exitStatus(String message) {
        String reason = "FAILED: " + message.replaceAll("\\s+", " ").trim();
        return reason.length() > MAX ? reason.substring(0, MAX - 1) + "…" : reason;
    }
}
