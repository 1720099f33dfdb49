package org.appmetrica.loader.wildfly;

import org.appmetrica.loader.config.SecretRef;
import org.appmetrica.loader.model.LoadParameters;
import org.appmetrica.loader.model.LoadSettings;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parameters a load takes in the application server: clickhouseDataSource and tokenRef=cs:STORE/ALIAS. */
class ServerParametersTest {

    private static Properties load() {
        Properties p = new Properties();
        p.setProperty("applicationIds", "1");
        p.setProperty("sources", "events");
        p.setProperty("dateSince", "2024-03-01");
        p.setProperty("dateUntil", "2024-03-01");
        return p;
    }

    private static String error(Properties p) {
        return assertThrows(IllegalArgumentException.class, () -> LoadParameters.parse(p)).getMessage();
    }

    @Test
    void dataSourceIsAJndiNameAndReplacesUrlUserAndPassword() {
        Properties p = load();
        assertNull(LoadParameters.parse(p).clickhouseDataSource(), "standalone loads name no datasource");
        p.setProperty("clickhouseDataSource", "java:jboss/datasources/ClickHouseDS");
        p.setProperty("tokenRef", "cs:appmetrica/appmetrica-token");
        LoadSettings s = LoadParameters.parse(p);
        assertEquals("java:jboss/datasources/ClickHouseDS", s.clickhouseDataSource());
        assertEquals("cs:appmetrica/appmetrica-token", s.tokenRef());

        for (String other : new String[] {"clickhouseUrl", "clickhouseUser", "clickhousePasswordRef"}) {
            Properties q = (Properties) p.clone();
            q.setProperty(other, other.equals("clickhousePasswordRef") ? "env:X" : other.equals("clickhouseUrl") ? "http://127.0.0.1:8123" : "u");
            assertTrue(error(q).contains("exclude each other"), other);
        }
        p.setProperty("clickhouseDataSource", "jdbc:clickhouse://127.0.0.1:8123");
        assertTrue(error(p).contains("is not a JNDI name"));
        p.setProperty("clickhouseDataSource", "java:jboss/datasources/X DS");
        assertTrue(error(p).contains("is not a JNDI name"));
    }

    @Test
    void credentialStoreReferencesAreCheckedAndNeedTheServer() {
        SecretRef.validate("tokenRef", "cs:appmetrica/appmetrica-token");
        for (String bad : new String[] {"cs:appmetrica", "cs:/alias", "cs:store/", "cs:st ore/a", "cs:store/a/b"}) {
            assertThrows(IllegalArgumentException.class, () -> SecretRef.validate("tokenRef", bad), bad);
        }
        String outside = assertThrows(IllegalArgumentException.class,
                () -> SecretRef.resolve("tokenRef", "cs:appmetrica/appmetrica-token", true)).getMessage();
        assertTrue(outside.contains("does not run in WildFly"), outside);
    }
}
