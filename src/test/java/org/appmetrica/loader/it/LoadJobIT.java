package org.appmetrica.loader.it;

import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.testing.SimulatorAndClickHouse;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every source, both formats: after a load, ClickHouse holds exactly the rows and values the simulator served
 * (count and an order-independent checksum over all columns). A second run of the same load replaces, not doubles.
 */
class LoadJobIT extends BatchIT {

    private static final int ROWS_PER_DAY = 30;

    @RegisterExtension
    static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(TOKEN, ROWS_PER_DAY, 7);

    @ParameterizedTest
    @ValueSource(strings = {"csv", "json"})
    void everySourceLandsExactly(String format) throws Exception {
        String database = TestClickHouse.database("it_load_" + format);
        env.freshDatabase(database);
        Properties p = parameters(env.apiUrl(), database);
        p.setProperty("applicationIds", "101,102");
        p.setProperty("sources", String.join(",", FieldCatalog.get().sourceNames()));
        p.setProperty("dateSince", "2024-03-01");
        p.setProperty("dateUntil", "2024-03-02");
        p.setProperty("format", format);
        p.setProperty("chunkSize", "17"); // several chunks per slice
        JobExecution first = run(p);
        assertEquals(BatchStatus.COMPLETED, first.getBatchStatus(), describe(first));
        GroundTruth.assertLoaded(env.clickhouse(), p, database, 7, ROWS_PER_DAY);

        JobExecution second = run(p); // the same one-time load again: replaces the range
        assertEquals(BatchStatus.COMPLETED, second.getBatchStatus(), describe(second));
        GroundTruth.assertLoaded(env.clickhouse(), p, database, 7, ROWS_PER_DAY);
    }
}
