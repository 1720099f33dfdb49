package org.appmetrica.loader.model;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * Job parameters of {@code appmetrica-load} as the {@link Properties} the runtime takes; start with
 * {@link LoadParameters#builder()}. Typed setters for the known parameters, {@link #set} for raw ones (KEY=VALUE from a
 * command line, a definition file). Nothing is validated here: {@link LoadParameters#parse} does that.
 */
public final class LoadParametersBuilder {

    private final Properties p = new Properties();

    LoadParametersBuilder() {
    }

    /** A raw parameter; null removes it. */
    public LoadParametersBuilder set(String name, String value) {
        if (value == null) {
            p.remove(name);
        } else {
            p.setProperty(name, value);
        }
        return this;
    }

    /** Every parameter of {@code values}, over those set before. */
    public LoadParametersBuilder setAll(Properties values) {
        values.stringPropertyNames().forEach(k -> set(k, values.getProperty(k)));
        return this;
    }

    public LoadParametersBuilder setAll(Map<String, String> values) {
        values.forEach(this::set);
        return this;
    }

    /** Sets the parameter unless it is set already. */
    public LoadParametersBuilder setIfAbsent(String name, String value) {
        if (!p.containsKey(name)) {
            set(name, value);
        }
        return this;
    }

    public LoadParametersBuilder applicationIds(long... ids) {
        return set(LoadParameters.APPLICATION_IDS, LongStream.of(ids).mapToObj(Long::toString).collect(Collectors.joining(",")));
    }

    public LoadParametersBuilder sources(String... sources) {
        return set(LoadParameters.SOURCES, String.join(",", sources));
    }

    public LoadParametersBuilder dateSince(LocalDate day) {
        return set(LoadParameters.DATE_SINCE, day.toString());
    }

    public LoadParametersBuilder dateUntil(LocalDate day) {
        return set(LoadParameters.DATE_UNTIL, day.toString());
    }

    /** One day: since and until. */
    public LoadParametersBuilder day(LocalDate day) {
        return dateSince(day).dateUntil(day);
    }

    public LoadParametersBuilder dateDimension(String dimension) {
        return set(LoadParameters.DATE_DIMENSION, dimension);
    }

    public LoadParametersBuilder format(String format) {
        return set(LoadParameters.FORMAT, format);
    }

    public LoadParametersBuilder fields(String source, String... fields) {
        return set(LoadParameters.FIELDS_PREFIX + source, String.join(",", fields));
    }

    /** Filters as the parameter takes them: {@code field=value} pairs separated by {@code ;}. */
    public LoadParametersBuilder filters(String source, String filters) {
        return set(LoadParameters.FILTERS_PREFIX + source, filters);
    }

    public LoadParametersBuilder apiUrl(String url) {
        return set(LoadParameters.API_URL, url);
    }

    public LoadParametersBuilder tokenRef(String ref) {
        return set(LoadParameters.TOKEN_REF, ref);
    }

    public LoadParametersBuilder clickhouseUrl(String url) {
        return set(LoadParameters.CLICKHOUSE_URL, url);
    }

    public LoadParametersBuilder clickhouseDatabase(String database) {
        return set(LoadParameters.CLICKHOUSE_DATABASE, database);
    }

    public LoadParametersBuilder clickhouseUser(String user) {
        return set(LoadParameters.CLICKHOUSE_USER, user);
    }

    public LoadParametersBuilder clickhousePasswordRef(String ref) {
        return set(LoadParameters.CLICKHOUSE_PASSWORD_REF, ref);
    }

    public LoadParametersBuilder clickhouseCluster(String cluster) {
        return set(LoadParameters.CLICKHOUSE_CLUSTER, cluster);
    }

    public LoadParametersBuilder clickhouseClusterHttpPortOffset(int offset) {
        return set(LoadParameters.CLICKHOUSE_CLUSTER_HTTP_PORT_OFFSET, Integer.toString(offset));
    }

    public LoadParametersBuilder clickhouseDataSource(String jndiName) {
        return set(LoadParameters.CLICKHOUSE_DATA_SOURCE, jndiName);
    }

    public LoadParametersBuilder chunkSize(int rows) {
        return set(LoadParameters.CHUNK_SIZE, Integer.toString(rows));
    }

    public LoadParametersBuilder parallelism(int partitions) {
        return set(LoadParameters.PARALLELISM, Integer.toString(partitions));
    }

    public LoadParametersBuilder pollIntervalSeconds(int seconds) {
        return set(LoadParameters.POLL_INTERVAL_SECONDS, Integer.toString(seconds));
    }

    public LoadParametersBuilder pollTimeoutSeconds(int seconds) {
        return set(LoadParameters.POLL_TIMEOUT_SECONDS, Integer.toString(seconds));
    }

    public LoadParametersBuilder rateLimitWaitSeconds(int seconds) {
        return set(LoadParameters.RATE_LIMIT_WAIT_SECONDS, Integer.toString(seconds));
    }

    public LoadParametersBuilder maxRetries(int retries) {
        return set(LoadParameters.MAX_RETRIES, Integer.toString(retries));
    }

    public LoadParametersBuilder retryBackoffSeconds(int seconds) {
        return set(LoadParameters.RETRY_BACKOFF_SECONDS, Integer.toString(seconds));
    }

    public LoadParametersBuilder httpTimeoutSeconds(int seconds) {
        return set(LoadParameters.HTTP_TIMEOUT_SECONDS, Integer.toString(seconds));
    }

    public LoadParametersBuilder spoolDir(Path dir) {
        return set(LoadParameters.SPOOL_DIR, dir.toString());
    }

    public LoadParametersBuilder chunkMegabytes(int megabytes) {
        return set(LoadParameters.CHUNK_MEGABYTES, Integer.toString(megabytes));
    }

    public LoadParametersBuilder insertRows(int rows) {
        return set(LoadParameters.INSERT_ROWS, Integer.toString(rows));
    }

    public LoadParametersBuilder insertMegabytes(int megabytes) {
        return set(LoadParameters.INSERT_MEGABYTES, Integer.toString(megabytes));
    }

    public LoadParametersBuilder insertsInFlight(int inserts) {
        return set(LoadParameters.INSERTS_IN_FLIGHT, Integer.toString(inserts));
    }

    public LoadParametersBuilder leaseWaitSeconds(int seconds) {
        return set(LoadParameters.LEASE_WAIT_SECONDS, Integer.toString(seconds));
    }

    public LoadParametersBuilder maxExportBytes(long bytes) {
        return set(LoadParameters.MAX_EXPORT_BYTES, Long.toString(bytes));
    }

    /** {@code gzip} or {@code none}. */
    public LoadParametersBuilder compression(String compression) {
        return set(LoadParameters.COMPRESSION, compression);
    }

    /** Times a schedule or console restarts the execution by itself after its process died. */
    public LoadParametersBuilder autoRestart(int times) {
        return set(LoadParameters.AUTO_RESTART, Integer.toString(times));
    }

    /** A copy: the builder can go on. */
    public Properties build() {
        return (Properties) p.clone();
    }

    /** Validated: {@link LoadParameters#parse} of {@link #build()}. */
    public LoadSettings parse() {
        return LoadParameters.parse(build());
    }
}
