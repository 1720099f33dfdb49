package org.appmetrica.loader.job;

import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.SliceTables;
import org.appmetrica.loader.clickhouse.TableLayout;
import org.appmetrica.loader.coordination.SliceLease;
import org.appmetrica.loader.metrics.Failures;
import org.appmetrica.loader.model.LoadSettings;
import org.appmetrica.loader.model.Slice;
import org.appmetrica.loader.model.SliceProperties;
import org.appmetrica.loader.logsapi.ExportSpool;
import org.appmetrica.loader.schema.FieldCatalog;

import java.io.IOException;
import java.util.Optional;

/**
 * Last step, after every slice is published: empties the staging partitions (kept until now so that a replayed
 * publish stays idempotent) and deletes this job instance's spool directory.
 */
@Named
@Dependent
public class CleanUpBatchlet extends AbstractBatchlet {

    @Inject
    JobContext jobContext;

    @Override
    public String process() throws IOException {
        try {
            return cleanUp();
        } catch (IOException | RuntimeException e) {
            Failures.record(jobContext, null, e); // the reason reaches the exit status, as for the other steps
            throw e;
        }
    }

    private String cleanUp() throws IOException {
        LoadSettings settings = SliceProperties.settings(jobContext);
        if (settings.clickhouseCluster() == null) {
            try (ClickHouseConnection connection = settings.clickhouse().connect()) {
                for (Slice slice : settings.slices()) {
                    emptyStage(connection, settings, slice);
                }
            }
        } else {
            for (Slice slice : settings.slices()) { // each on a replica of its shard
                try (ClickHouseConnection connection = settings.clickhouse().connectForApplication(slice.applicationId())) {
                    emptyStage(connection, settings, slice);
                }
            }
        }
        ExportSpool.deleteInstance(settings.spoolDir(), jobContext.getInstanceId());
        return "CLEANED";
    }

    /**
     * Empties the slice's staging partition if it still holds this job instance's rows and no other execution is loading
     * the slice now; staged rows of another load are theirs to keep (a restart of theirs may still trust them).
     */
    private void emptyStage(ClickHouseConnection connection, LoadSettings settings, Slice slice) {
        String key = SliceLease.key(settings.clickhouseDatabase(), slice.source(), slice.applicationId(),
                slice.day() == null ? "-" : slice.day().toString());
        Optional<SliceLease> lease = SliceLease.tryAcquire(key, jobContext.getExecutionId(), jobContext.getInstanceId());
        if (lease.isEmpty()) {
            return;
        }
        try {
            if (lease.get().previousInstanceId() == jobContext.getInstanceId()) {
                TableLayout layout = new TableLayout(FieldCatalog.get().source(slice.source()).orElseThrow());
                lease.get().renewStageEpoch();
                new SliceTables(connection, settings.clickhouseDatabase(), layout, slice.applicationId(), slice.partitionDay(),
                        settings.clickhouseCluster() != null).resetStage();
            }
        } finally {
            lease.get().release();
        }
    }
}
