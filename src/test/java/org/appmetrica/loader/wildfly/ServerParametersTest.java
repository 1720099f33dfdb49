package org.appmetrica.loader.wildfly;

import org.appmetrica.loader.config.SecretRef;
import org.appmetrica.loader.model.LoadParameters;
import org.appmetrica.loader.model.LoadParametersBuilder;
import org.appmetrica.loader.model.LoadSettings;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parameters a load takes in the application server: clickhouseDataSource and tokenRef=cs:STORE/ALIAS. */
class ServerParametersTest {

    private static LoadParametersBuilder load() {
        return LoadParameters.builder().applicationIds(1).sources("events").day(LocalDate.of(2024, 3, 1));
    }

    private static String error(LoadParametersBuilder p) {
        return assertThrows(IllegalArgumentException.class, p::parse).getMessage();
    }

    @Test
    void dataSourceIsAJndiNameAndReplacesUrlUserAndPassword() {
        LoadParametersBuilder p = load();
        assertNull(p.parse().clickhouseDataSource(), "standalone loads name no datasource");
        p.clickhouseDataSource("java:jboss/datasources/ClickHouseDS").tokenRef("cs:appmetrica/appmetrica-token");
        LoadSettings s = p.parse();
        assertEquals("java:jboss/datasources/ClickHouseDS", s.clickhouseDataSource());
        assertEquals("cs:appmetrica/appmetrica-token", s.tokenRef());

        for (String other : new String[] {"clickhouseUrl", "clickhouseUser", "clickhousePasswordRef"}) {
            LoadParametersBuilder q = load().setAll(p.build())
                    .set(other, other.equals("clickhousePasswordRef") ? "env:X" : other.equals("clickhouseUrl") ? "http://127.0.0.1:8123" : "u");
            assertTrue(error(q).contains("exclude each other"), other);
        }
        p.clickhouseDataSource("jdbc:clickhouse://127.0.0.1:8123");
        assertTrue(error(p).contains("is not a JNDI name"));
        p.clickhouseDataSource("java:jboss/datasources/X DS");
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
