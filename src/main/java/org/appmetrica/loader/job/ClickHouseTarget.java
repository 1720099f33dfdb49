package org.appmetrica.loader.job;

import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.ClickHouseException;
import org.appmetrica.loader.clickhouse.ClickHouseSettings;
import org.appmetrica.loader.config.SecretRef;

import java.time.Duration;

/**
 * Opens the ClickHouse connection a load writes to: from {@code clickhouseUrl}, {@code clickhouseUser} and
 * {@code clickhousePasswordRef} (the password is resolved from its reference here only), or, in an application server,
 * from the datasource named by {@code clickhouseDataSource}.
 */
public final class ClickHouseTarget {

    private static final Duration SOCKET_TIMEOUT = Duration.ofMinutes(10);

    private ClickHouseTarget() {
    }

    public static ClickHouseConnection connect(LoadSettings settings) {
        if (settings.clickhouseDataSource() != null) {
            return DataSourceTarget.connect(settings.clickhouseDataSource());
        }
        String password = SecretRef.resolve(LoadParameters.CLICKHOUSE_PASSWORD_REF, settings.clickhousePasswordRef(), false);
        return ClickHouseConnection.open(new ClickHouseSettings(ClickHouseSettings.endpointFromUrl(settings.clickhouseUrl()),
                settings.clickhouseUser(), password, settings.clickhouseDatabase(), SOCKET_TIMEOUT));
    }

    /**
     * A datasource of the ClickHouse JDBC driver (jdbc-v2) looked up by its JNDI name. The datasource holds the URL, the
     * user and the password (in WildFly from a credential store); the job borrows one of its connections only to take
     * the client-v2 configuration behind it and opens a client of its own with the loader's settings (no compression,
     * no client retries). So a load never holds pooled connections or takes part in the container's transactions.
     * <p>A nested class so that the standalone runtime, which never sets {@code clickhouseDataSource}, loads neither
     * JNDI lookups nor jdbc-v2 classes (jdbc-v2 is in the server's module, not in the standalone lib folder).
     */
    static final class DataSourceTarget {

        private DataSourceTarget() {
        }

        static ClickHouseConnection connect(String jndiName) {
            Object found;
            try {
                found = new javax.naming.InitialContext().lookup(jndiName);
            } catch (javax.naming.NamingException e) {
                throw new IllegalArgumentException("job parameter " + LoadParameters.CLICKHOUSE_DATA_SOURCE + "=" + jndiName
                        + ": no datasource under this JNDI name (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                        + "); it works only in an application server with the datasource defined", e);
            }
            if (!(found instanceof javax.sql.DataSource dataSource)) {
                throw new IllegalArgumentException("job parameter " + LoadParameters.CLICKHOUSE_DATA_SOURCE + "=" + jndiName
                        + " names a " + (found == null ? "null" : found.getClass().getName()) + ", not a javax.sql.DataSource");
            }
            try (java.sql.Connection connection = dataSource.getConnection()) {
                if (!connection.isWrapperFor(com.clickhouse.jdbc.ConnectionImpl.class)) {
                    throw new IllegalArgumentException("job parameter " + LoadParameters.CLICKHOUSE_DATA_SOURCE + "=" + jndiName
                            + " is not a datasource of the ClickHouse JDBC driver com.clickhouse:jdbc-v2");
                }
                return ClickHouseConnection.openLike(connection.unwrap(com.clickhouse.jdbc.ConnectionImpl.class).getClient(), SOCKET_TIMEOUT);
            } catch (java.sql.SQLException e) {
                throw new ClickHouseException("cannot get a connection from the datasource " + jndiName + ": " + e.getMessage(), e);
            }
        }
    }
}
