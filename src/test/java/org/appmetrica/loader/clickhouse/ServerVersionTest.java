package org.appmetrica.loader.clickhouse;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerVersionTest {

    @Test
    void parsesWhatServersReport() {
        assertEquals(18, ServerVersion.parse("18.16.1").major());
        assertEquals(7, ServerVersion.parse("26.7.2.1").minor());
        assertEquals(0, ServerVersion.parse("garbage").major());
    }

    @Test
    void lightweightDeleteInPartitionFrom24Point9() {
        assertFalse(ServerVersion.parse("18.16.1").lightweightDeleteInPartition());
        assertFalse(ServerVersion.parse("24.8.4.13").lightweightDeleteInPartition());
        assertTrue(ServerVersion.parse("24.9.1").lightweightDeleteInPartition());
        assertTrue(ServerVersion.parse("26.7.2.1").lightweightDeleteInPartition());
    }
}
