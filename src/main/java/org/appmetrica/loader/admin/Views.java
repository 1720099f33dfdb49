package org.appmetrica.loader.admin;

import jakarta.batch.runtime.BatchStatus;
import org.appmetrica.loader.model.Jobs;
import org.appmetrica.loader.model.LoadParameters;
import org.appmetrica.loader.model.SliceState;
import org.appmetrica.loader.schema.FieldCatalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What the admin API serves, as JSON (Jackson serialises these records by their component names). Times are ISO-8601
 * instants in UTC, or null when not (yet) known. Job parameters are shown as stored: secret references such as
 * {@code tokenRef=env:APPMETRICA_TOKEN} stay references, and a value under a name that looks like a secret is hidden.
 */
public final class Views {

    private Views() {
    }

    /** A job known to the JobOperator, with its instance count and running executions. */
    public record JobView(String name, int instances, List<Long> running) {
    }

    /**
     * One execution.
     *
     * @param parameters the parameters the run used: a restart's own parameters over those of the executions before it
     *                   (WildFly's restart-job stores only the overrides)
     * @param restartOf  the previous execution of the same job instance, or null for a first run
     * @param failure    the first failure reason recorded (job, step or partition exit status), or null
     * @param actions    what can be done now: stop, restart, abandon
     */
    public record ExecutionView(long id, long instanceId, String job, BatchStatus status, String exitStatus, String failure,
                                String created, String started, String ended, String lastUpdated, Map<String, String> parameters,
                                Long restartOf, Progress progress, List<String> actions) {
    }

    /**
     * The slices (partitions of the load step) of one execution. {@code planned}: all slices of the load;
     * {@code earlier}: slices completed by earlier executions of the same job instance; {@code slices}: the other slices
     * this execution has started so far; {@code completed}, {@code failed} (including a slice cut off by a crash) and
     * {@code running} among those. Done so far = completed + earlier; planned - earlier - slices have not started yet.
     */
    public record Progress(int planned, int slices, int completed, int failed, int running, int earlier, long rows, long bytes) {
    }

    /** An execution with its steps and, for the partitioned load step, every partition. */
    public record ExecutionDetail(ExecutionView execution, List<StepView> steps) {
    }

    public record StepView(long id, String name, BatchStatus status, String exitStatus, String started, String ended, long durationMillis,
                           long read, long written, long filtered, long skipped, long commits, long rollbacks,
                           List<PartitionView> partitions, String partitionsNote) {
    }

    /**
     * One partition of the load step: one slice (application × source × day).
     *
     * @param apiState     requested, queued (waiting in the API queue), rate-limited, retrying, loading (downloaded, rows
     *                     going into ClickHouse), published; null before the partition reported anything
     * @param apiProgress  the API's progress % while queued (-1 unknown), 100 once downloaded
     * @param rowsRead     rows handed out by the reader (the live metric in the process that runs the job; else the rows staged)
     * @param metricsLive  true when the read/written/skipped counts are the runtime's live metrics (the job runs in
     *                     this process); false when they come from the job repository, which keeps no partition metrics
     * @param lastError    the failure reason (FAILED partitions) or the reason of the current retry
     */
    public record PartitionView(int partition, BatchStatus status, String exitStatus, String slice, Long application, String source,
                                String day, SliceState apiState, int apiProgress, long rowsRead, long rowsWritten, long rowsSkipped,
                                long bytes, long durationMillis, String message, String lastError, boolean metricsLive) {
    }

    /** The sources and defaults the start form offers. */
    public record Catalog(String job, List<SourceView> sources, List<String> parameters, Map<String, String> defaults,
                          boolean regularLoads, boolean connections, String oauthClientId) {

        /**
         * @param startDefaults what a start adds (shown masked)
         * @param regularLoads  regular connections run on schedule here
         * @param connections   connections are kept here
         * @param oauthClientId the OAuth client id for the page's "Get token" link, or null/blank: no link
         */
        static Catalog of(Properties startDefaults, boolean regularLoads, boolean connections, String oauthClientId) {
            List<SourceView> sources = new ArrayList<>();
            for (String name : FieldCatalog.get().sourceNames()) {
                sources.add(new SourceView(name, FieldCatalog.get().source(name).orElseThrow().datesRequired()));
            }
            Map<String, String> defaults = new LinkedHashMap<>();
            defaults.put(LoadParameters.DATE_DIMENSION, LoadParameters.Defaults.DATE_DIMENSION);
            defaults.put(LoadParameters.FORMAT, LoadParameters.Defaults.FORMAT);
            defaults.put(LoadParameters.API_URL, LoadParameters.Defaults.API_URL);
            defaults.put(LoadParameters.TOKEN_REF, LoadParameters.Defaults.TOKEN_REF);
            defaults.put(LoadParameters.CLICKHOUSE_URL, LoadParameters.Defaults.CLICKHOUSE_URL);
            defaults.put(LoadParameters.CLICKHOUSE_DATABASE, LoadParameters.Defaults.CLICKHOUSE_DATABASE);
            startDefaults.stringPropertyNames().forEach(k -> defaults.put(k, SecretMask.text(startDefaults.getProperty(k))));
            String clientId = oauthClientId == null || oauthClientId.isBlank() ? null : oauthClientId.trim();
            return new Catalog(Jobs.LOAD_JOB, sources, LoadParameters.NAMES, defaults, regularLoads, connections, clientId);
        }
    }

    public record SourceView(String name, boolean dated) {
    }

    public record SessionView(String user, String login) {
    }

    public record ErrorView(int status, String error, String message) {
    }
}
