package org.appmetrica.loader.job;

import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.SliceTables;
import org.appmetrica.loader.clickhouse.TableLayout;
import org.appmetrica.loader.schema.FieldCatalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

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
        LoadSettings settings = SliceProperties.settings(jobContext);
        try (ClickHouseConnection connection = ClickHouseTarget.connect(settings)) {
            for (Slice slice : settings.slices()) {
                TableLayout layout = new TableLayout(FieldCatalog.get().source(slice.source()).orElseThrow());
                new SliceTables(connection, settings.clickhouseDatabase(), layout, slice.applicationId(), slice.partitionDay()).resetStage();
            }
        }
        Path spool = settings.spoolDir().resolve(Long.toString(jobContext.getInstanceId()));
        if (Files.exists(spool)) {
            try (Stream<Path> files = Files.walk(spool)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
        return "CLEANED";
    }
}
