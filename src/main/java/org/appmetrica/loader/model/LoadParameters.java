package org.appmetrica.loader.model;

import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.schema.SourceSpec;

import java.time.LocalDate;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Names, defaults and validation of the {@code appmetrica-load} job parameters: each value by its rule in
 * {@link LoadParameter}, the rules between parameters and the field lists and filters of the sources here. Used before
 * a job is started and by the job itself before any HTTP call, so both report the same clear messages.
 */
public final class LoadParameters {

    public static final String APPLICATION_IDS = LoadParameter.APPLICATION_IDS.key();
    public static final String SOURCES = LoadParameter.SOURCES.key();
    public static final String DATE_SINCE = LoadParameter.DATE_SINCE.key();
    public static final String DATE_UNTIL = LoadParameter.DATE_UNTIL.key();
    public static final String DATE_DIMENSION = LoadParameter.DATE_DIMENSION.key();
    public static final String FORMAT = LoadParameter.FORMAT.key();
    public static final String FIELDS_PREFIX = "fields.";
    public static final String FILTERS_PREFIX = "filters.";
    public static final String API_URL = LoadParameter.API_URL.key();
    public static final String TOKEN_REF = LoadParameter.TOKEN_REF.key();
    public static final String CLICKHOUSE_URL = LoadParameter.CLICKHOUSE_URL.key();
    public static final String CLICKHOUSE_DATABASE = LoadParameter.CLICKHOUSE_DATABASE.key();
    public static final String CLICKHOUSE_USER = LoadParameter.CLICKHOUSE_USER.key();
    public static final String CLICKHOUSE_PASSWORD_REF = LoadParameter.CLICKHOUSE_PASSWORD_REF.key();
    public static final String CLICKHOUSE_DATA_SOURCE = LoadParameter.CLICKHOUSE_DATA_SOURCE.key();
    public static final String CLICKHOUSE_CLUSTER = LoadParameter.CLICKHOUSE_CLUSTER.key();
    public static final String CLICKHOUSE_CLUSTER_HTTP_PORT_OFFSET = LoadParameter.CLICKHOUSE_CLUSTER_HTTP_PORT_OFFSET.key();
    public static final String CHUNK_SIZE = LoadParameter.CHUNK_SIZE.key();
    public static final String PARALLELISM = LoadParameter.PARALLELISM.key();
    public static final String POLL_INTERVAL_SECONDS = LoadParameter.POLL_INTERVAL_SECONDS.key();
    public static final String POLL_TIMEOUT_SECONDS = LoadParameter.POLL_TIMEOUT_SECONDS.key();
    public static final String RATE_LIMIT_WAIT_SECONDS = LoadParameter.RATE_LIMIT_WAIT_SECONDS.key();
    public static final String MAX_RETRIES = LoadParameter.MAX_RETRIES.key();
    public static final String RETRY_BACKOFF_SECONDS = LoadParameter.RETRY_BACKOFF_SECONDS.key();
    public static final String HTTP_TIMEOUT_SECONDS = LoadParameter.HTTP_TIMEOUT_SECONDS.key();
    public static final String SPOOL_DIR = LoadParameter.SPOOL_DIR.key();
    public static final String LEASE_WAIT_SECONDS = LoadParameter.LEASE_WAIT_SECONDS.key();
    public static final String INSERTS_IN_FLIGHT = LoadParameter.INSERTS_IN_FLIGHT.key();
    public static final String INSERT_ROWS = LoadParameter.INSERT_ROWS.key();
    public static final String INSERT_MEGABYTES = LoadParameter.INSERT_MEGABYTES.key();
    public static final String CHUNK_MEGABYTES = LoadParameter.CHUNK_MEGABYTES.key();
    public static final String MAX_EXPORT_BYTES = LoadParameter.MAX_EXPORT_BYTES.key();
    public static final String COMPRESSION = LoadParameter.COMPRESSION.key();
    public static final String AUTO_RESTART = LoadParameter.AUTO_RESTART.key();

    /** Defaults that other classes name; each is the one in {@link LoadParameter}. */
    public static final class Defaults {
        public static final String DATE_DIMENSION = LoadParameter.DATE_DIMENSION.defaultValue();
        public static final String FORMAT = LoadParameter.FORMAT.defaultValue();
        public static final String API_URL = LoadParameter.API_URL.defaultValue();
        public static final String TOKEN_REF = LoadParameter.TOKEN_REF.defaultValue();
        public static final String CLICKHOUSE_URL = LoadParameter.CLICKHOUSE_URL.defaultValue();
        public static final String CLICKHOUSE_DATABASE = LoadParameter.CLICKHOUSE_DATABASE.defaultValue();
        public static final String CLICKHOUSE_USER = LoadParameter.CLICKHOUSE_USER.defaultValue();
        public static final String CLICKHOUSE_PASSWORD_REF = LoadParameter.CLICKHOUSE_PASSWORD_REF.defaultValue();
        public static final String SPOOL_DIR = LoadParameter.SPOOL_DIR.defaultValue();
        /** Per application: the API queues at most three exports of one application. */
        public static final int PARALLELISM_PER_APPLICATION = 3;
        public static final int MAX_DEFAULT_PARALLELISM = 12;

        private Defaults() {
        }
    }

    /** Every fixed parameter name; {@code fields.<source>} and {@code filters.<source>} come on top. */
    public static final List<String> NAMES = LoadParameter.keys();

    private LoadParameters() {
    }

    /** Parameters for a start, typed; {@link LoadParametersBuilder#set} takes raw ones. */
    public static LoadParametersBuilder builder() {
        return new LoadParametersBuilder();
    }

    /**
     * Validates every parameter: first the names, then each value by its own rule (in definition order), then the rules
     * between parameters. The first problem is reported with the parameter, its value and the expected form.
     */
    public static LoadSettings parse(Properties p) {
        for (String name : p.stringPropertyNames()) {
            if (LoadParameter.secretLikeName(name)) {
                throw new IllegalArgumentException("job parameter " + name + " looks like a secret; secrets are never job parameters "
                        + "(they would be stored in the job repository): pass tokenRef=env:APPMETRICA_TOKEN or clickhousePasswordRef=env:NAME instead");
            }
            if (!NAMES.contains(name) && !name.startsWith(FIELDS_PREFIX) && !name.startsWith(FILTERS_PREFIX) && !isEmpty(p.getProperty(name))) {
                throw new IllegalArgumentException("unknown job parameter " + name + "; known parameters: " + String.join(", ", NAMES)
                        + ", fields.<source>, filters.<source>");
            }
        }
        EnumMap<LoadParameter, Object> v = new EnumMap<>(LoadParameter.class);
        for (LoadParameter parameter : LoadParameter.values()) {
            v.put(parameter, parameter.parse(p));
        }
        @SuppressWarnings("unchecked")
        List<String> sources = (List<String>) v.get(LoadParameter.SOURCES);
        dates(p, v, sources.stream().anyMatch(s -> FieldCatalog.get().source(s).orElseThrow().datesRequired()));
        Map<String, List<String>> fields = new LinkedHashMap<>();
        Map<String, Map<String, String>> filters = new LinkedHashMap<>();
        for (String source : sources) {
            SourceSpec spec = FieldCatalog.get().source(source).orElseThrow();
            fields.put(source, ParameterRules.fields(p, spec));
            filters.put(source, ParameterRules.filters(p, spec));
        }
        for (String name : p.stringPropertyNames()) {
            String suffix = name.startsWith(FIELDS_PREFIX) ? name.substring(FIELDS_PREFIX.length())
                    : name.startsWith(FILTERS_PREFIX) ? name.substring(FILTERS_PREFIX.length()) : null;
            if (suffix != null && !isEmpty(p.getProperty(name)) && !sources.contains(suffix)) {
                throw new IllegalArgumentException("job parameter " + name + " names source '" + suffix + "', which is not in "
                        + SOURCES + "=" + String.join(",", sources));
            }
        }
        clickhouseTarget(p, v);
        if (v.get(LoadParameter.PARALLELISM) == null) {
            int apps = ((List<?>) v.get(LoadParameter.APPLICATION_IDS)).size();
            v.put(LoadParameter.PARALLELISM, Math.min(Defaults.MAX_DEFAULT_PARALLELISM, Defaults.PARALLELISM_PER_APPLICATION * apps));
        }
        return new LoadSettings(v, fields, filters);
    }

    /** Both days or neither (then only dateless sources, loaded as of today), in order. */
    private static void dates(Properties p, Map<LoadParameter, Object> v, boolean anyDated) {
        for (LoadParameter day : List.of(LoadParameter.DATE_SINCE, LoadParameter.DATE_UNTIL)) {
            if (anyDated && v.get(day) == null) {
                throw new IllegalArgumentException("job parameter " + day.key() + " is required: expected a day like 2024-03-01");
            }
        }
        LocalDate since = (LocalDate) v.get(LoadParameter.DATE_SINCE);
        LocalDate until = (LocalDate) v.get(LoadParameter.DATE_UNTIL);
        if (since == null && until == null) {
            since = until = LocalDate.now(); // only dateless sources: no day range needed
        } else if (since == null || until == null) {
            throw new IllegalArgumentException("job parameters " + DATE_SINCE + " and " + DATE_UNTIL + " go together: expected both, like 2024-03-01 and 2024-03-07");
        }
        if (until.isBefore(since)) {
            throw new IllegalArgumentException("job parameter " + DATE_UNTIL + "=" + until + " is before " + DATE_SINCE + "=" + since
                    + ": expected a range whose last day is not before its first");
        }
        v.put(LoadParameter.DATE_SINCE, since);
        v.put(LoadParameter.DATE_UNTIL, until);
    }

    /** A datasource replaces URL, user and password; a cluster needs a URL; a cluster's port offset needs the cluster. */
    private static void clickhouseTarget(Properties p, Map<LoadParameter, Object> v) {
        Object dataSource = v.get(LoadParameter.CLICKHOUSE_DATA_SOURCE);
        if (dataSource != null) {
            for (String other : List.of(CLICKHOUSE_URL, CLICKHOUSE_USER, CLICKHOUSE_PASSWORD_REF)) {
                if (!isEmpty(p.getProperty(other))) {
                    throw new IllegalArgumentException("job parameters " + CLICKHOUSE_DATA_SOURCE + " and " + other + " exclude each other: "
                            + "the datasource " + dataSource + " defines the ClickHouse URL, user and password");
                }
            }
        }
        if (v.get(LoadParameter.CLICKHOUSE_CLUSTER) != null && dataSource != null) {
            throw new IllegalArgumentException("job parameter " + CLICKHOUSE_CLUSTER + " needs " + CLICKHOUSE_URL + ", not "
                    + CLICKHOUSE_DATA_SOURCE + ": the loader connects to the replicas of each shard itself");
        }
        if (v.get(LoadParameter.CLICKHOUSE_CLUSTER_HTTP_PORT_OFFSET) != null && v.get(LoadParameter.CLICKHOUSE_CLUSTER) == null) {
            throw new IllegalArgumentException("job parameter " + CLICKHOUSE_CLUSTER_HTTP_PORT_OFFSET + " needs " + CLICKHOUSE_CLUSTER);
        }
    }

    /** The parameter, trimmed, or the default when it is missing or blank. */
    public static String value(Properties p, String name, String dflt) {
        String v = p.getProperty(name);
        return isEmpty(v) ? dflt : v.trim();
    }

    private static boolean isEmpty(String v) {
        return ParameterRules.isEmpty(v);
    }
}
