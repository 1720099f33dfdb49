package org.appmetrica.loader.it;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.jberet.runtime.JobExecutionImpl;

import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Runs appmetrica-load in this JVM on JBeret SE with an H2 job repository under target/. The simulator and ClickHouse
 * come from {@link org.appmetrica.loader.testing.SimulatorAndClickHouse}.
 */
public abstract class BatchIT {

    public static final String TOKEN = "it-token-0123456789";

    static {
        Path dataDir = Path.of("target", "it-data").toAbsolutePath();
        org.appmetrica.loader.standalone.StandaloneRuntime.configure(dataDir, null);
        System.setProperty("it.appmetrica.token", TOKEN);
    }

    protected static JobOperator operator() {
        return BatchRuntime.getJobOperator();
    }

    protected static Properties parameters(String apiUrl, String database) {
        Properties p = new Properties();
        p.setProperty("apiUrl", apiUrl);
        p.setProperty("tokenRef", "prop:it.appmetrica.token");
        p.setProperty("clickhouseUrl", TestClickHouse.URL);
        p.setProperty("clickhouseDatabase", database);
        p.setProperty("pollIntervalSeconds", "0");
        p.setProperty("retryBackoffSeconds", "0");
        p.setProperty("spoolDir", Path.of("target", "it-spool").toAbsolutePath().toString());
        return p;
    }

    protected static JobExecution await(long executionId) throws InterruptedException {
        JobExecution e = operator().getJobExecution(executionId);
        ((JobExecutionImpl) e).awaitTermination(5, TimeUnit.MINUTES);
        return operator().getJobExecution(executionId);
    }

    protected static JobExecution run(Properties p) throws InterruptedException {
        return await(operator().start("appmetrica-load", p));
    }

    protected static String describe(JobExecution e) {
        return e.getBatchStatus() + " / " + e.getExitStatus();
    }

    protected static boolean ended(BatchStatus s) {
        return s == BatchStatus.COMPLETED || s == BatchStatus.FAILED || s == BatchStatus.STOPPED || s == BatchStatus.ABANDONED;
    }
}
