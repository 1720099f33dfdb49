package org.appmetrica.loader.chaos;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.standalone.StandaloneRuntime;
import org.jberet.runtime.JobExecutionImpl;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM of the chaos test: {@code ChaosRunner DATA_DIR start PARAMS_FILE} or {@code … restart ID PARAMS_FILE}.
 * Runs the chaos copy of appmetrica-load (the production job plus {@link HaltAfterWriteListener}); exit 0 when
 * COMPLETED.
 */
public final class ChaosRunner {

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        StandaloneRuntime.configure(dataDir.resolve("conf"), StandaloneRuntime.defaultRepositoryUrl(dataDir));
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(args[args.length - 1]))) {
            p.load(in);
        }
        JobOperator operator = BatchRuntime.getJobOperator();
        long id = args[1].equals("start") ? operator.start("appmetrica-load-chaos", p) : operator.restart(Long.parseLong(args[2]), p);
        System.out.println("execution id: " + id);
        System.out.flush();
        JobExecution e = operator.getJobExecution(id);
        ((JobExecutionImpl) e).awaitTermination(10, TimeUnit.MINUTES);
        e = operator.getJobExecution(id);
        System.out.println("ended " + e.getBatchStatus() + " " + e.getExitStatus());
        System.exit(e.getBatchStatus() == BatchStatus.COMPLETED ? 0 : 1);
    }
}
