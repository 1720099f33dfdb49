package org.appmetrica.loader.job;

import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.SchemaManager;
import org.appmetrica.loader.clickhouse.TableLayout;
import org.appmetrica.loader.metrics.Failures;
import org.appmetrica.loader.model.LoadSettings;
import org.appmetrica.loader.model.SliceProperties;
import org.appmetrica.loader.schema.FieldCatalog;

import java.util.logging.Logger;

/**
 * First step: validates every job parameter (before any HTTP call), then creates the database, the tables and their
 * staging twins if missing and checks that existing tables still have every column with its type.
 */
@Named
@Dependent
public class PrepareTablesBatchlet extends AbstractBatchlet {

    private static final Logger LOG = Logger.getLogger("org.appmetrica.loader.progress");

    @Inject
    JobContext jobContext;

    @Override
    public String process() {
        try {
            return prepare();
        } catch (RuntimeException e) {
            Failures.record(jobContext, null, e);
            throw e;
        }
    }

    private String prepare() {
        org.appmetrica.loader.config.Timeline.mark("preparing tables");
        LoadSettings settings = SliceProperties.settings(jobContext);
        // Fail before any table or export if the token is missing; the value is not kept.
        settings.checkToken();
        try (ClickHouseConnection connection = settings.clickhouse().connect()) {
            SchemaManager schema = new SchemaManager(connection, settings.clickhouseDatabase(), settings.clickhouseCluster());
            schema.createDatabase();
            for (String source : settings.sources()) {
                schema.prepare(new TableLayout(FieldCatalog.get().source(source).orElseThrow()));
            }
            LOG.info("ClickHouse " + connection.version().text() + (settings.clickhouseCluster() == null ? ""
                    : " cluster " + settings.clickhouseCluster()) + ": tables ready in " + settings.clickhouseDatabase()
                    + " for " + String.join(", ", settings.sources()) + "; " + settings.slices().size() + " slices to load");
        }
        org.appmetrica.loader.config.Timeline.mark("tables ready");
        return "PREPARED";
    }
}
