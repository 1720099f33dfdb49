package org.appmetrica.loader.admin;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretMaskTest {

    @Test
    void referencesAreShownSecretsAreNot() {
        Properties p = new Properties();
        p.setProperty("tokenRef", "env:APPMETRICA_TOKEN");
        p.setProperty("clickhousePasswordRef", "file:/etc/ch-password");
        p.setProperty("token", "AQAAAA-real-token");
        p.setProperty("clickhousePassword", "pw-1");
        p.setProperty("fields.push_tokens", "token,appmetrica_device_id");
        p.setProperty("apiUrl", "https://user:pw-2@api.example/");
        p.setProperty("clickhouseUrl", "jdbc:clickhouse://ch:8123/?user=u&password=pw-3&ssl=true");
        Map<String, String> shown = SecretMask.parameters(p);
        assertEquals("env:APPMETRICA_TOKEN", shown.get("tokenRef"));
        assertEquals("file:/etc/ch-password", shown.get("clickhousePasswordRef"));
        assertEquals(SecretMask.HIDDEN, shown.get("token"));
        assertEquals(SecretMask.HIDDEN, shown.get("clickhousePassword"));
        assertEquals("token,appmetrica_device_id", shown.get("fields.push_tokens"), "a field list is not a secret");
        assertEquals("https://***@api.example/", shown.get("apiUrl"));
        assertEquals("jdbc:clickhouse://ch:8123/?user=u&password=***&ssl=true", shown.get("clickhouseUrl"));
        for (String v : shown.values()) {
            assertFalse(v.contains("pw-") || v.contains("real-token"), v);
        }
    }

    @Test
    void messagesLoseCredentials() {
        assertEquals("GET https://***@host/x failed", SecretMask.text("GET https://a:b@host/x failed"));
        assertEquals("header Authorization: OAuth ***", SecretMask.text("header Authorization: OAuth AQAAAAAB12345678"));
        assertEquals("job parameter tokenRef='env:X' is bad", SecretMask.text("job parameter tokenRef='env:X' is bad"));
        assertTrue(SecretMask.secretName("oauthToken"));
        assertFalse(SecretMask.secretName("tokenRef"));
        assertFalse(SecretMask.secretName("filters.push_tokens"));
    }
}
