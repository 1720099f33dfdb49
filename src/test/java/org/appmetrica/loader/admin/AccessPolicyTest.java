package org.appmetrica.loader.admin;

import org.appmetrica.loader.model.LoadParameters;
import org.appmetrica.loader.model.LoadParametersBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessPolicyTest {

    private final AccessPolicy policy = AccessPolicy.of(List.of("http://127.0.0.1:18090/"), List.of("jdbc:clickhouse://ch.internal:8123/db"),
            List.of("file:/srv/loader/token"), List.of("file:/srv/loader/clickhouse-password")).withSpoolDirs(List.of("/srv/loader/spool"));

    private static Properties load(String... pairs) {
        LoadParametersBuilder p = LoadParameters.builder();
        for (int i = 0; i < pairs.length; i += 2) {
            p.set(pairs[i], pairs[i + 1]);
        }
        return p.build();
    }

    private String refused(Properties p) {
        AdminException e = assertThrows(AdminException.class, () -> policy.check(p));
        assertEquals(403, e.status());
        return e.getMessage();
    }

    @Test
    void defaultsAndWhatTheOperatorAddedPass() {
        policy.check(load()); // the official API, jdbc:clickhouse://127.0.0.1:8123, env:APPMETRICA_TOKEN, env:CLICKHOUSE_PASSWORD
        policy.check(load("apiUrl", "http://127.0.0.1:18090", "clickhouseUrl", "http://ch.internal:8123", "tokenRef", "file:/srv/loader/token"));
        policy.check(load("apiUrl", "HTTPS://API.appmetrica.yandex.ru/"));
        policy.check(load("clickhouseDataSource", "java:jboss/datasources/ClickHouseDS", "clickhouseUrl", "jdbc:clickhouse://elsewhere:8123"));
        policy.check(load("clickhousePasswordRef", "file:/srv/loader/clickhouse-password", "spoolDir", "/srv/loader/x/../spool/"));
        AccessPolicy.unrestricted().check(load("apiUrl", "http://anywhere", "tokenRef", "file:/anything", "spoolDir", "/etc",
                "clickhouseCluster", "c", "clickhouseClusterHttpPortOffset", "1"));
    }

    @Test
    void anythingElseIsRefusedNamingTheParameter() {
        assertTrue(refused(load("apiUrl", "http://elsewhere.example")).contains("job parameter apiUrl"));
        assertTrue(refused(load("apiUrl", "http://127.0.0.1:18091")).contains("job parameter apiUrl"));
        assertTrue(refused(load("apiUrl", "http://api.appmetrica.yandex.ru")).contains("job parameter apiUrl"), "http is not https");
        assertTrue(refused(load("clickhouseUrl", "jdbc:clickhouse://elsewhere.example:8123")).contains("job parameter clickhouseUrl"));
        String key = refused(load("tokenRef", "file:/home/loader/.ssh/id_ed25519"));
        assertTrue(key.contains("job parameter tokenRef") && !key.contains("id_ed25519"), key);
        assertTrue(refused(load("clickhousePasswordRef", "prop:javax.net.ssl.keyStorePassword")).contains("job parameter clickhousePasswordRef"));
        assertTrue(refused(load("tokenRef", "env:HOME")).contains("job parameter tokenRef"));
    }

    @Test
    void aSecretReferenceServesInItsOwnRoleOnly() {
        String token = refused(load("clickhousePasswordRef", "env:APPMETRICA_TOKEN"));
        assertTrue(token.contains("job parameter clickhousePasswordRef") && token.contains("as a Logs API token only"), token);
        String password = refused(load("tokenRef", "file:/srv/loader/clickhouse-password"));
        assertTrue(password.contains("job parameter tokenRef") && password.contains("as a ClickHouse password only")
                && !password.contains("/srv/loader"), password);
        assertTrue(refused(load("tokenRef", "env:CLICKHOUSE_PASSWORD")).contains("job parameter tokenRef"));
    }

    @Test
    void operatorOnlyAndListedPathsAreRefusedWithoutTheirValue() {
        for (String name : List.of("clickhouseCluster", "clickhouseClusterHttpPortOffset")) {
            String m = refused(load(name, "test_shard_localhost_9"));
            assertTrue(m.contains("job parameter " + name + " is set by the operator only") && !m.contains("test_shard"), m);
        }
        String spool = refused(load("spoolDir", "/etc/secret-place"));
        assertTrue(spool.contains("job parameter spoolDir") && spool.contains("--allow-spool-dir") && !spool.contains("secret-place"), spool);
        assertTrue(refused(load("spoolDir", "/srv/loader/spool/../../../etc")).contains("job parameter spoolDir"));
    }
}
