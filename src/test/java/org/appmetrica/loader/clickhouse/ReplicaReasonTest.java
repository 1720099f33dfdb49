package org.appmetrica.loader.clickhouse;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Red team, issue 23 item 3: a replica's answer is never copied whole into a failure reason. */
class ReplicaReasonTest {

    @Test
    void theAnswerIsCappedToItsFirstLineWithoutThePassword() {
        String body = "Code: 516. Authentication failed for default:s3cret-pw\n" + "x".repeat(1_000_000);
        String reason = ClickHouseTarget.replicaReason(body, "s3cret-pw");
        assertFalse(reason.contains("s3cret-pw"), reason);
        assertTrue(reason.startsWith("Code: 516. Authentication failed for default:***"), reason);
        assertTrue(reason.length() <= ClickHouseTarget.REASON_CHARS + 2, "length " + reason.length());
        assertEquals(ClickHouseTarget.REASON_CHARS + 2, ClickHouseTarget.replicaReason("y".repeat(5000), null).length());
    }
}
