package org.appmetrica.loader.clickhouse;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClickHouseSettingsTest {

    private static String refused(String url) {
        String message = assertThrows(IllegalArgumentException.class, () -> ClickHouseSettings.endpointFromUrl(url)).getMessage();
        assertFalse(message.contains("s3cret"), "the message repeats the password: " + message);
        return message;
    }

    @Test
    void endpoints() {
        assertEquals("http://ch.example:8123", ClickHouseSettings.endpointFromUrl("jdbc:clickhouse://ch.example:8123/db"));
        assertEquals("http://ch.example:8123", ClickHouseSettings.endpointFromUrl("jdbc:ch://ch.example"));
        assertEquals("https://ch.example:8443", ClickHouseSettings.endpointFromUrl("jdbc:clickhouse://ch.example?ssl=true"));
        assertEquals("https://ch.example:9440", ClickHouseSettings.endpointFromUrl("https://ch.example:9440"));
        assertEquals("http://ch.example:8123", ClickHouseSettings.endpointFromUrl("jdbc:clickhouse://ch.example:8123?compress=0&ssl=false"));
    }

    @Test
    void sslIsAParameterNotASubstring() {
        assertEquals("http://ch.example:8123", ClickHouseSettings.endpointFromUrl("jdbc:clickhouse://ch.example:8123?nossl=true"));
        assertEquals("http://ch.example:8123", ClickHouseSettings.endpointFromUrl("jdbc:clickhouse://ch.example:8123?x=ssl=true"));
        assertTrue(refused("jdbc:clickhouse://ch.example?ssl=yes").contains("expected ssl=true or ssl=false"));
    }

    @Test
    void credentialsInTheUrlAreRefusedWithoutRepeatingThem() {
        for (String url : new String[] {"jdbc:clickhouse://admin:s3cret@ch.example:8123/db", "http://admin:s3cret@ch.example:8123",
                "jdbc:clickhouse://ch.example:8123/db?user=admin&password=s3cret", "jdbc:clickhouse://ch.example?PASSWORD=s3cret",
                "jdbc:clickhouse://ch.example?access_token=s3cret"}) {
            assertTrue(refused(url).contains("clickhousePasswordRef"), url);
        }
        assertTrue(refused("jdbc:clickhouse://ch example:s3cret").startsWith("is not a ClickHouse URL"));
    }
}
