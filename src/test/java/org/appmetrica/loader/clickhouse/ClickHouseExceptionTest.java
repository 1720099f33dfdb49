package org.appmetrica.loader.clickhouse;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClickHouseExceptionTest {

    private static ClickHouseException of(String serverText) {
        return ClickHouseException.of("ClickHouse failed", new IOException(serverText));
    }

    @Test
    void aReplicaBetweenLeadersIsRetried() {
        // as 18.16 answered an ALTER on a replica that had just come back (ClusterIT)
        ClickHouseException e = of("Code: 292, e.displayText() = DB::Exception: Leader was suddenly changed or logical error., "
                + "e.what() = DB::Exception (transport error: 500)");
        assertEquals(292, e.code());
        assertTrue(e instanceof TransientClickHouseException);
        assertTrue(of("Code: 999, e.displayText() = Coordination::Exception: Session expired") instanceof TransientClickHouseException);
        assertTrue(of("Connection refused") instanceof TransientClickHouseException);
    }

    @Test
    void whatAnotherTryCannotChangeFailsAtOnce() {
        ClickHouseException e = of("Code: 60, e.displayText() = DB::Exception: Table it.events doesn't exist.");
        assertEquals(60, e.code());
        assertFalse(e instanceof TransientClickHouseException);
    }
}
