package org.appmetrica.loader.clickhouse;

import com.clickhouse.jdbc.ConnectionImpl;
import org.appmetrica.loader.config.SecretRef;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * The ClickHouse a load writes to: {@code clickhouseUrl}, {@code clickhouseUser} and {@code clickhousePasswordRef} (the
 * password is resolved from its reference in {@link #connect} only), or, in an application server, the datasource named
 * by {@code clickhouseDataSource} (then the others are null).
 */
public record ClickHouseTarget(String url, String user, String passwordRef, String dataSource, String database, String cluster,
                               Integer clusterHttpPortOffset) {

    /** The job parameters these come from; error messages name them. */
    public static final String URL = "clickhouseUrl";
    public static final String USER = "clickhouseUser";
    public static final String PASSWORD_REF = "clickhousePasswordRef";
    public static final String DATA_SOURCE = "clickhouseDataSource";
    public static final String DATABASE = "clickhouseDatabase";
    public static final String CLUSTER = "clickhouseCluster";
    public static final String CLUSTER_HTTP_PORT_OFFSET = "clickhouseClusterHttpPortOffset";

    /** Without a cluster: one server, plain MergeTree tables. */
    public ClickHouseTarget(String url, String user, String passwordRef, String dataSource, String database) {
        this(url, user, passwordRef, dataSource, database, null, null);
    }

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
     * A connection to the server that holds the application's slices: {@link #connect} without a cluster, else the first
     * replica of the application's shard (see {@link ClusterShards}) that answers with its tables writable. Staging, counting, trimming and
     * publishing of a slice all go to it, so that they see the parts they wrote without waiting for replication.
     */
    public ClickHouseConnection connectForApplication(long applicationId) {
        if (cluster == null) {
            return connect();
        }
        List<String> replicas;
        try (ClickHouseConnection entry = connect()) {
            replicas = ClusterShards.read(entry, cluster, ClickHouseSettings.endpointFromUrl(url), clusterHttpPortOffset)
                    .replicasOf(applicationId);
        }
        String password = SecretRef.resolve(PASSWORD_REF, passwordRef, false);
        List<String> failures = new ArrayList<>();
        for (String endpoint : replicas) {
            ClickHouseConnection replica = ClickHouseConnection.open(new ClickHouseSettings(endpoint, user, password, database,
                    SOCKET_TIMEOUT));
            try {
                replica.version();
                // tables without a ZooKeeper session (e.g. for a while after the replica was killed) refuse inserts
                if (replica.queryLong("SELECT count() FROM system.replicas WHERE database = '"
                        + Identifiers.requirePlainName("clickhouseDatabase", database) + "' AND is_readonly") == 0) {
                    return replica;
                }
                replica.close();
                failures.add(endpoint + ": its replicated tables are read-only (no ZooKeeper session)");
            } catch (RuntimeException e) {
                replica.close();
                failures.add(endpoint + ": " + replicaReason(e.getMessage(), password));
            }
        }
        throw new TransientClickHouseException("no replica of the shard of application " + applicationId + " in ClickHouse cluster "
                + cluster + " answers: " + String.join("; ", failures), null);
    }

    /** At most this much of a replica's answer goes into a failure reason: the replica may be anything listening there. */
    static final int REASON_CHARS = 300;

    /** The first line of a replica's error, capped, without the password sent to it. */
    static String replicaReason(String message, String password) {
        String m = message == null ? "" : message.strip();
        if (password != null && !password.isEmpty()) {
            m = m.replace(password, "***");
        }
        int eol = m.indexOf('\n');
        if (eol >= 0) {
            m = m.substring(0, eol).strip() + " …";
        }
        return m.length() > REASON_CHARS ? m.substring(0, REASON_CHARS) + " …" : m;
    }

    /** The table readers query: the target itself, or on a cluster its Distributed table over every shard. */
    public String readTable(String table) {
        return cluster == null ? table : TableLayout.distributedName(table);
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
