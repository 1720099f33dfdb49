package org.appmetrica.loader.it;

import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.simulator.RecordedRequest;
import org.appmetrica.loader.simulator.SimulatorConfig;
import org.appmetrica.loader.testing.SimulatorAndClickHouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exports split into parts, field lists, filters and the receive date dimension land exactly. */
class ExportShapesIT extends BatchIT {

    private static final int ROWS_PER_DAY = 300;

    @RegisterExtension
    static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(SimulatorConfig.defaults(TOKEN).withRowsPerDay(ROWS_PER_DAY)
            .withReadyAfter(1).withSeed(9).withMaxRowsPerFile(100));

    @Test
    void tooLargeExportsAreSplitIntoPartsAndFieldsAndFiltersAreApplied() throws Exception {
        String database = TestClickHouse.database("it_shapes");
        env.freshDatabase(database);
        Properties p = parameters(env.apiUrl(), database);
        p.setProperty("applicationIds", "501");
        p.setProperty("sources", "events,installations");
        p.setProperty("dateSince", "2024-06-01");
        p.setProperty("dateUntil", "2024-06-02");
        p.setProperty("dateDimension", "receive");
        p.setProperty("fields.events", "event_name,event_datetime,appmetrica_device_id,event_json,os_name");
        p.setProperty("filters.installations", "os_name=android");
        p.setProperty("chunkSize", "40");
        JobExecution e = run(p);
        assertEquals(BatchStatus.COMPLETED, e.getBatchStatus(), describe(e));
        GroundTruth.assertLoaded(env.clickhouse(), p, database, 9, ROWS_PER_DAY);

        List<RecordedRequest> exports = env.simulator().requests().stream().filter(r -> r.path().startsWith("/logs/")).toList();
        assertTrue(exports.stream().anyMatch(r -> "4".equals(r.query().get("parts_count")) && "3".equals(r.query().get("part_number"))),
                "300 rows with at most 100 per file need 4 parts");
        assertTrue(exports.stream().allMatch(r -> "receive".equals(r.query().get("date_dimension"))));
        assertTrue(exports.stream().filter(r -> r.path().contains("installations")).allMatch(r -> "android".equals(r.query().get("os_name"))));
        long withNoCache = exports.stream().filter(r -> "no-cache".equals(r.cacheControl())).count();
        assertEquals(4, withNoCache, "no-cache only on the first request of each of the 4 slices");
        assertTrue(env.clickhouse().queryLong("SELECT count() FROM " + database + ".installations") < 2 * ROWS_PER_DAY);
        assertEquals(0, env.clickhouse().queryLong("SELECT count() FROM " + database + ".events WHERE event_receive_datetime IS NOT NULL"),
                "fields not requested are NULL");
    }
}
