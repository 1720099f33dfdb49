package org.appmetrica.loader.standalone;

import org.appmetrica.loader.admin.Coverage;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CoverageCommandTest {

    private static Coverage.Day day(String day, Coverage.Cell cell) {
        return new Coverage.Day(day, cell.rows(), Map.of("events", cell));
    }

    @Test
    void aReasonRepeatedOverDaysIsOneLinePerRun() {
        Coverage.Cell stopped = new Coverage.Cell(Coverage.STOPPED, 0, null, 11L, null, true);
        Coverage.Cell failed = new Coverage.Cell(Coverage.FAILED, 0, null, 9L, "HTTP 503", false);
        Coverage.Cell loaded = new Coverage.Cell(Coverage.FINAL, 5, "2024-05-01T00:00:00Z", 8L, null, false);
        Coverage.Application app = new Coverage.Application(1, List.of("events"), List.of(day("2024-05-01", stopped),
                day("2024-05-02", stopped), day("2024-05-03", stopped), day("2024-05-04", loaded), day("2024-05-05", failed),
                day("2024-05-06", stopped)), Map.of());
        assertEquals(List.of("events 2024-05-01..2024-05-03: execution 11 was stopped before it loaded these days (restart 11)",
                "events 2024-05-05: execution 9 failed: HTTP 503",
                "events 2024-05-06: execution 11 was stopped before it loaded these days (restart 11)"), CoverageCommand.reasons(app));
    }
}
