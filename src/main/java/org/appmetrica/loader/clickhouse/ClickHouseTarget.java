package org.appmetrica.loader.clickhouse;

import com.clickhouse.jdbc.ConnectionImpl;
import org.appmetrica.loader.config.SecretRef;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * The ClickHouse a load writes to: {@code clickhouseUrl}, {@code clickhouseUser} and {@code clickhousePasswordRef} (the
 * password is resolved from its reference in {@link #connect} only), or, in an application server, the datasource named
 * by {@code clickhouseDataSource} (then the others are null).
 */
public record ClickHouseTarget(String url, String user, String passwordRef, String dataSource, String database) {

    /** The job parameters these come from; error messages name them. */
    public static final String URL = "clickhouseUrl";
    public static final String USER = "clickhouseUser";
    public static final String PASSWORD_REF = "clickhousePasswordRef";
    public static final String DATA_SOURCE = "clickhouseDataSource";
    public static final String DATABASE = "clickhouseDatabase";

    private static final Duration SOCKET_TIMEOUT = Duration.ofMinutes(10);

    public ClickHouseConnection connect() {
        if (dataSource != null) {
            return DataSourceTarget.connect(dataSource);
        }
        String password = SecretRef.resolve(PASSWORD_REF, passwordRef, false);
        return ClickHouseConnection.open(new ClickHouseSettings(ClickHouseSettings.endpointFromUrl(url), user, password, database,
                SOCKET_TIMEOUT));
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
                found = new InitialContext().lookup(jndiName);
            } catch (NamingException e) {
                throw new IllegalArgumentException("job parameter " + DATA_SOURCE + "=" + jndiName
                        + ": no datasource under this JNDI name (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                        + "); it works only in an application server with the datasource defined", e);
            }
            if (!(found instanceof DataSource dataSource)) {
                throw new IllegalArgumentException("job parameter " + DATA_SOURCE + "=" + jndiName
                        + " names a " + (found == null ? "null" : found.getClass().getName()) + ", not a javax.sql.DataSource");
            }
            try (Connection connection = dataSource.getConnection()) {
                if (!connection.isWrapperFor(ConnectionImpl.class)) {
                    throw new IllegalArgumentException("job parameter " + DATA_SOURCE + "=" + jndiName
                            + " is not a datasource of the ClickHouse JDBC driver com.clickhouse:jdbc-v2");
                }
                return ClickHouseConnection.openLike(connection.unwrap(ConnectionImpl.class).getClient(), SOCKET_TIMEOUT);
            } catch (SQLException e) {
                throw new ClickHouseException("cannot get a connection from the datasource " + jndiName + ": " + e.getMessage(), e);
            }
        }
    }
}
