package org.appmetrica.loader.admin;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.connection.Connection;
import org.appmetrica.loader.connection.StoredConnection;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A connection's state from its pause flag and last execution, and its JSON: the definition, then the read-only fields. */
class ConnectionViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Connection CONNECTION = Connection.fromJson("""
            {"name": "daily", "applications": [702], "sources": {"events": {"fields": ["event_name"]}, "installations": {}},
             "loadFrom": "2024-01-01", "regularity": "regular", "schedule": "03:00", "timeZone": "UTC", "reloadDays": 3,
             "apiUrl": "http://127.0.0.1:1", "tokenRef": "env:APPMETRICA_TOKEN",
             "target": {"url": "jdbc:clickhouse://127.0.0.1:8123", "database": "appmetrica", "passwordRef": "env:CH_PASSWORD"}}""");

    /** Only what a view reads of an execution. */
    private record Execution(long getExecutionId, BatchStatus getBatchStatus, String getExitStatus, Date getEndTime) implements JobExecution {
        @Override
        public String getJobName() {
            return "appmetrica-load";
        }

        @Override
        public Date getStartTime() {
            return null;
        }

        @Override
        public Date getCreateTime() {
            return null;
        }

        @Override
        public Date getLastUpdatedTime() {
            return null;
        }

        @Override
        public Properties getJobParameters() {
            return new Properties();
        }
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static StoredConnection stored(boolean paused, Long last) {
        return new StoredConnection(CONNECTION, paused, Instant.EPOCH, Instant.EPOCH, last);
    }

    private static ConnectionView view(BatchStatus status, String exit) {
        return ConnectionView.of(stored(false, 7L), new Execution(7, status, exit, null), null);
    }

    @Test
    void theStateFollowsTheLastExecution() {
        assertEquals(ConnectionState.NEW, ConnectionView.of(stored(false, null), null, null).state());
        assertEquals(ConnectionState.PAUSED, ConnectionView.of(stored(true, 7L), new Execution(7, BatchStatus.FAILED, null, null), null).state());
        assertEquals(ConnectionState.UP_TO_DATE, view(BatchStatus.COMPLETED, "COMPLETED").state());
        assertEquals(ConnectionState.LOADING, view(BatchStatus.STARTING, null).state());
        assertEquals(ConnectionState.LOADING, view(BatchStatus.STARTED, null).state());
        assertTrue(view(BatchStatus.STARTED, null).running());
        assertEquals(ConnectionState.STOPPED, view(BatchStatus.STOPPING, null).state());
        ConnectionView stopped = view(BatchStatus.STOPPED, "STOPPED");
        assertEquals(ConnectionState.STOPPED, stopped.state());
        assertEquals("execution 7 was stopped; restart it to continue", stopped.reason());
        assertFalse(stopped.running());
        ConnectionView failed = view(BatchStatus.FAILED, "FAILED: ClickHouse refused the INSERT");
        assertEquals(ConnectionState.FAILED, failed.state());
        assertEquals("ClickHouse refused the INSERT", failed.reason());
        assertEquals("FAILED", view(BatchStatus.FAILED, "FAILED").reason(), "an exit status that only repeats the status");
        assertEquals("ABANDONED", view(BatchStatus.ABANDONED, null).reason());
        assertEquals("crashed", view(BatchStatus.FAILED, "crashed").reason());
        assertNull(view(BatchStatus.COMPLETED, "COMPLETED").reason());
    }

    @Test
    void theJsonIsTheDefinitionThenTheReadOnlyFields() throws Exception {
        Date ended = Date.from(Instant.parse("2024-05-01T03:04:05Z"));
        ConnectionView v = ConnectionView.of(stored(false, 7L), new Execution(7, BatchStatus.FAILED, "FAILED: boom", ended),
                new ConnectionView.Covers("2024-01-01", "2024-04-30")).with("2024-05-02T03:00:00Z", new ConnectionView.Progress(3, 9));
        // what the console's page, the CLI's --json and the tests read: the connection's own JSON with these after it
        Map<String, Object> expected = JSON.convertValue(CONNECTION, new TypeReference<LinkedHashMap<String, Object>>() { });
        expected.put("state", "failed");
        expected.put("reason", "boom");
        expected.put("lastRun", ordered("executionId", 7, "status", "FAILED", "ended", "2024-05-01T03:04:05Z"));
        expected.put("nextRun", "2024-05-02T03:00:00Z");
        expected.put("covers", ordered("from", "2024-01-01", "to", "2024-04-30"));
        expected.put("progress", ordered("slicesDone", 3, "slicesTotal", 9));
        String json = AdminJson.write(v);
        assertEquals(JSON.writeValueAsString(expected), JSON.writeValueAsString(JSON.readValue(json, LinkedHashMap.class)), "the same keys in the same order");
        assertEquals(CONNECTION, Connection.fromJson(json), "a shown connection can be sent back");

        String fresh = AdminJson.write(ConnectionView.of(stored(false, null), null, null));
        assertTrue(fresh.endsWith("\"target\":{\"url\":\"jdbc:clickhouse://127.0.0.1:8123\",\"database\":\"appmetrica\",\"passwordRef\":\"env:CH_PASSWORD\"},"
                + "\"state\":\"new\",\"lastRun\":null,\"nextRun\":null,\"covers\":null,\"progress\":null}"), "no reason while there is none: " + fresh);
    }
}
