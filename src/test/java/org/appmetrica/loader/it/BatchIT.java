package org.appmetrica.loader.it;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.model.Jobs;
import org.appmetrica.loader.model.LoadParameters;
import org.appmetrica.loader.standalone.StandaloneRuntime;

import java.nio.file.Path;
import java.util.Properties;

/**
 * Runs appmetrica-load in this JVM on JBeret SE with an H2 job repository under target/. The simulator and ClickHouse
 * come from {@link org.appmetrica.loader.testing.SimulatorAndClickHouse}.
 */
public abstract class BatchIT {

    public static final String TOKEN = "it-token-0123456789";

    static {
        Path dataDir = Path.of("target", "it-data").toAbsolutePath();
        StandaloneRuntime.configure(dataDir, null);
        System.setProperty("it.appmetrica.token", TOKEN);
    }

    protected static JobOperator operator() {
        return BatchRuntime.getJobOperator();
    }

    protected static Properties parameters(String apiUrl, String database) {
        return LoadParameters.builder().apiUrl(apiUrl).tokenRef("prop:it.appmetrica.token").clickhouseUrl(TestClickHouse.URL)
                .clickhouseDatabase(database).pollIntervalSeconds(0).retryBackoffSeconds(0)
                .spoolDir(Path.of("target", "it-spool").toAbsolutePath()).build();
    }

    protected static JobExecution await(long executionId) throws InterruptedException {
        return Jobs.await(operator(), executionId);
    }

    protected static JobExecution run(Properties p) throws InterruptedException {
        return await(operator().start(Jobs.LOAD_JOB, p));
    }

    protected static String describe(JobExecution e) {
        return e.getBatchStatus() + " / " + e.getExitStatus();
    }

    protected static boolean ended(BatchStatus s) {
        return Jobs.ENDED.contains(s);
    }
}
