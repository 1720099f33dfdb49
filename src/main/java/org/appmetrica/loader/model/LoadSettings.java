package org.appmetrica.loader.model;

import org.appmetrica.loader.clickhouse.ClickHouseTarget;
import org.appmetrica.loader.config.SecretRef;
import org.appmetrica.loader.logsapi.PollSettings;
import org.appmetrica.loader.logsapi.TransferSettings;
import org.appmetrica.loader.schema.FieldCatalog;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.appmetrica.loader.model.LoadParameter.*;

/**
 * Validated job parameters of {@code appmetrica-load}: the value of each {@link LoadParameter} as its rule typed it,
 * plus the field list and filters of each source. Build with {@link LoadParameters#parse}.
 * {@code clickhouseDataSource} is null unless the target is a datasource (JNDI name) of the application server;
 * {@code clickhouseCluster} is null unless the target is a cluster.
 */
public final class LoadSettings {

    private final Map<LoadParameter, Object> values;
    private final Map<String, List<String>> fields;
    private final Map<String, Map<String, String>> filters;

    /** {@code values} holds every parameter, cross-checked; null where a parameter is not set and has no default. */
    LoadSettings(EnumMap<LoadParameter, Object> values, Map<String, List<String>> fields, Map<String, Map<String, String>> filters) {
        this.values = values.clone();
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields)); // in the order of the sources
        this.filters = Collections.unmodifiableMap(new LinkedHashMap<>(filters));
    }

    @SuppressWarnings("unchecked")
    private <T> T get(LoadParameter p) {
        return (T) values.get(p);
    }

    public List<Long> applicationIds() {
        return get(APPLICATION_IDS);
    }

    public List<String> sources() {
        return get(SOURCES);
    }

    public LocalDate dateSince() {
        return get(DATE_SINCE);
    }

    public LocalDate dateUntil() {
        return get(DATE_UNTIL);
    }

    public String dateDimension() {
        return get(DATE_DIMENSION);
    }

    public String format() {
        return get(FORMAT);
    }

    /** The fields asked of each source of the load. */
    public Map<String, List<String>> fields() {
        return fields;
    }

    /** The equality filters of each source of the load (maybe none). */
    public Map<String, Map<String, String>> filters() {
        return filters;
    }

    public String apiUrl() {
        return get(API_URL);
    }

    public String tokenRef() {
        return get(TOKEN_REF);
    }

    public String clickhouseUrl() {
        return get(CLICKHOUSE_URL);
    }

    public String clickhouseDatabase() {
        return get(CLICKHOUSE_DATABASE);
    }

    public String clickhouseUser() {
        return get(CLICKHOUSE_USER);
    }

    public String clickhousePasswordRef() {
        return get(CLICKHOUSE_PASSWORD_REF);
    }

    public String clickhouseDataSource() {
        return get(CLICKHOUSE_DATA_SOURCE);
    }

    public String clickhouseCluster() {
        return get(CLICKHOUSE_CLUSTER);
    }

    public Integer clickhouseClusterHttpPortOffset() {
        return get(CLICKHOUSE_CLUSTER_HTTP_PORT_OFFSET);
    }

    public int chunkSize() {
        return this.<Integer>get(CHUNK_SIZE);
    }

    public int parallelism() {
        return this.<Integer>get(PARALLELISM);
    }

    public PollSettings poll() {
        return new PollSettings(seconds(POLL_INTERVAL_SECONDS), seconds(POLL_TIMEOUT_SECONDS), seconds(RATE_LIMIT_WAIT_SECONDS),
                this.<Integer>get(MAX_RETRIES), seconds(RETRY_BACKOFF_SECONDS));
    }

    public int httpTimeoutSeconds() {
        return this.<Integer>get(HTTP_TIMEOUT_SECONDS);
    }

    public Path spoolDir() {
        return get(SPOOL_DIR);
    }

    public Duration leaseWait() {
        return seconds(LEASE_WAIT_SECONDS);
    }

    public int insertsInFlight() {
        return this.<Integer>get(INSERTS_IN_FLIGHT);
    }

    public int insertRows() {
        return this.<Integer>get(INSERT_ROWS);
    }

    public int insertMegabytes() {
        return this.<Integer>get(INSERT_MEGABYTES);
    }

    public int chunkMegabytes() {
        return this.<Integer>get(CHUNK_MEGABYTES);
    }

    public TransferSettings transfer() {
        return new TransferSettings(this.<Long>get(MAX_EXPORT_BYTES), get(COMPRESSION).equals("gzip"));
    }

    private Duration seconds(LoadParameter p) {
        return Duration.ofSeconds(this.<Integer>get(p));
    }

    /**
     * Fails (IllegalArgumentException) unless the token's reference resolves: checked before a start and before the
     * first table is made; the value is not kept.
     */
    public void checkToken() {
        SecretRef.resolve(TOKEN_REF.key(), tokenRef(), true);
    }

    /** Where the load writes. */
    public ClickHouseTarget clickhouse() {
        return new ClickHouseTarget(clickhouseUrl(), clickhouseUser(), clickhousePasswordRef(), clickhouseDataSource(),
                clickhouseDatabase(), clickhouseCluster(), clickhouseClusterHttpPortOffset());
    }

    /** Every slice of the load in a stable order: by day, then application, then source. */
    public List<Slice> slices() {
        List<Slice> slices = new ArrayList<>();
        for (LocalDate d = dateSince(); !d.isAfter(dateUntil()); d = d.plusDays(1)) {
            for (long app : applicationIds()) {
                for (String source : sources()) {
                    if (FieldCatalog.get().source(source).orElseThrow().datesRequired()) {
                        slices.add(new Slice(app, source, d));
                    }
                }
            }
        }
        for (long app : applicationIds()) {
            for (String source : sources()) {
                if (!FieldCatalog.get().source(source).orElseThrow().datesRequired()) {
                    slices.add(new Slice(app, source, null));
                }
            }
        }
        return slices;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoadSettings s && values.equals(s.values) && fields.equals(s.fields) && filters.equals(s.filters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values, fields, filters);
    }
}
