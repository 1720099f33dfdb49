package org.appmetrica.loader.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.batch.runtime.BatchStatus;
import org.appmetrica.loader.admin.Views.ExecutionView;
import org.appmetrica.loader.admin.Views.PartitionView;
import org.appmetrica.loader.model.SliceState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Statuses and states are enums in the views, and their JSON the text the page, the CLI and the tests read. */
class ViewsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void statesAreWrittenAsTheirText() throws Exception {
        ExecutionView e = new ExecutionView(3, 1, "appmetrica-load", BatchStatus.STOPPED, "STOPPED", null, null, null, null, null,
                Map.of(), null, null, List.of("restart", "abandon"));
        assertEquals("STOPPED", JSON.readTree(AdminJson.write(e)).get("status").textValue());
        PartitionView p = new PartitionView(0, BatchStatus.STARTED, null, "702/events/2024-01-01", 702L, "events", "2024-01-01",
                SliceState.RATE_LIMITED, -1, 0, 0, 0, 0, 0, null, null, false);
        JsonNode json = JSON.readTree(AdminJson.write(p));
        assertEquals("STARTED", json.get("status").textValue());
        assertEquals("rate-limited", json.get("apiState").textValue());
    }
}
