package org.appmetrica.loader.model;

import org.appmetrica.loader.clickhouse.ClickHouseSettings;
import org.appmetrica.loader.clickhouse.ClickHouseTarget;
import org.appmetrica.loader.clickhouse.Identifiers;
import org.appmetrica.loader.config.SecretRef;
import org.appmetrica.loader.logsapi.PollSettings;
import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.schema.FieldSpec;
import org.appmetrica.loader.schema.SourceSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Names, defaults and validation of the {@code appmetrica-load} job parameters. Used by the CLI before a job
 * is started and by the job itself before any HTTP call, so both report the same clear messages.
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
    /**
     * Query parameters of a Logs API export that the load itself sets. A filter is a query parameter too, and a
     * filter {@code application_id=999} would load another application's rows into this one's partitions.
     */
    static final Set<String> REQUEST_PARAMETERS = Set.of("application_id", "date_since", "date_until", "date_dimension", "fields",
            "parts_count", "part_number", "use_utf8_bom", "oauth_token", "skip_unavailable_shards", "format");
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
    public static final String CHUNK_MEGABYTES = LoadParameter.CHUNK_MEGABYTES.key();
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

    /** Validates every parameter; the first problem is reported with the parameter, its value and the expected form. */
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
        LoadParameter.AUTO_RESTART.intValue(p); // read by the process that restarts a crashed execution, checked here
        List<Long> apps = applicationIds(p);
        List<String> sources = sources(p);
        boolean anyDated = sources.stream().anyMatch(s -> FieldCatalog.get().source(s).orElseThrow().datesRequired());
        LocalDate since = date(p, DATE_SINCE, anyDated);
        LocalDate until = date(p, DATE_UNTIL, anyDated);
        if (since == null && until == null) {
            since = until = LocalDate.now(); // only dateless sources: no day range needed
        } else if (since == null || until == null) {
            throw new IllegalArgumentException("job parameters " + DATE_SINCE + " and " + DATE_UNTIL + " go together: expected both, like 2024-03-01 and 2024-03-07");
        }
        if (until.isBefore(since)) {
            throw new IllegalArgumentException("job parameter " + DATE_UNTIL + "=" + until + " is before " + DATE_SINCE + "=" + since
                    + ": expected a range whose last day is not before its first");
        }
        String dimension = LoadParameter.DATE_DIMENSION.choice(p);
        String format = LoadParameter.FORMAT.choice(p);
        Map<String, List<String>> fields = new LinkedHashMap<>();
        Map<String, Map<String, String>> filters = new LinkedHashMap<>();
        for (String source : sources) {
            SourceSpec spec = FieldCatalog.get().source(source).orElseThrow();
            fields.put(source, fields(p, spec));
            filters.put(source, filters(p, spec));
        }
        for (String name : p.stringPropertyNames()) {
            String suffix = name.startsWith(FIELDS_PREFIX) ? name.substring(FIELDS_PREFIX.length())
                    : name.startsWith(FILTERS_PREFIX) ? name.substring(FILTERS_PREFIX.length()) : null;
            if (suffix != null && !isEmpty(p.getProperty(name)) && !sources.contains(suffix)) {
                throw new IllegalArgumentException("job parameter " + name + " names source '" + suffix + "', which is not in "
                        + SOURCES + "=" + String.join(",", sources));
            }
        }
        String apiUrl = url(p, LoadParameter.API_URL);
        String tokenRef = LoadParameter.TOKEN_REF.value(p);
        SecretRef.validate(TOKEN_REF, tokenRef);
        String clickhouseUrl = LoadParameter.CLICKHOUSE_URL.value(p);
        try {
            ClickHouseSettings.endpointFromUrl(clickhouseUrl);
        } catch (IllegalArgumentException e) {
            // the value is not repeated: it may hold a password
            throw new IllegalArgumentException("job parameter " + CLICKHOUSE_URL + " " + e.getMessage());
        }
        String database = LoadParameter.CLICKHOUSE_DATABASE.value(p);
        try {
            Identifiers.requirePlainName("job parameter " + CLICKHOUSE_DATABASE, database);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        String user = LoadParameter.CLICKHOUSE_USER.value(p);
        String passwordRef = LoadParameter.CLICKHOUSE_PASSWORD_REF.value(p);
        SecretRef.validate(CLICKHOUSE_PASSWORD_REF, passwordRef);
        String dataSource = dataSource(p);
        String cluster = cluster(p, dataSource);
        Integer httpPortOffset = isEmpty(p.getProperty(CLICKHOUSE_CLUSTER_HTTP_PORT_OFFSET)) ? null
                : LoadParameter.CLICKHOUSE_CLUSTER_HTTP_PORT_OFFSET.intValue(p, 0);
        if (httpPortOffset != null && cluster == null) {
            throw new IllegalArgumentException("job parameter " + CLICKHOUSE_CLUSTER_HTTP_PORT_OFFSET + " needs " + CLICKHOUSE_CLUSTER);
        }
        PollSettings poll = new PollSettings(
                Duration.ofSeconds(LoadParameter.POLL_INTERVAL_SECONDS.intValue(p)),
                Duration.ofSeconds(LoadParameter.POLL_TIMEOUT_SECONDS.intValue(p)),
                Duration.ofSeconds(LoadParameter.RATE_LIMIT_WAIT_SECONDS.intValue(p)),
                LoadParameter.MAX_RETRIES.intValue(p),
                Duration.ofSeconds(LoadParameter.RETRY_BACKOFF_SECONDS.intValue(p)));
        int parallelism = LoadParameter.PARALLELISM.intValue(p,
                Math.min(Defaults.MAX_DEFAULT_PARALLELISM, Defaults.PARALLELISM_PER_APPLICATION * apps.size()));
        return new LoadSettings(apps, sources, since, until, dimension, format, fields, filters, apiUrl, tokenRef,
                clickhouseUrl, database, user, passwordRef, dataSource, cluster, httpPortOffset,
                LoadParameter.CHUNK_SIZE.intValue(p), parallelism, poll,
                LoadParameter.HTTP_TIMEOUT_SECONDS.intValue(p),
                Path.of(LoadParameter.SPOOL_DIR.value(p)),
                Duration.ofSeconds(LoadParameter.LEASE_WAIT_SECONDS.intValue(p)),
                LoadParameter.INSERTS_IN_FLIGHT.intValue(p),
                LoadParameter.CHUNK_MEGABYTES.intValue(p), TransferParameters.parse(p));
    }

    private static List<Long> applicationIds(Properties p) {
        String raw = required(p, APPLICATION_IDS, "a comma-separated list of numeric application ids, like 1111,2222");
        Set<Long> ids = new LinkedHashSet<>();
        for (String part : raw.split(",")) {
            String s = part.trim();
            try {
                long id = Long.parseLong(s);
                if (id <= 0) {
                    throw new NumberFormatException();
                }
                ids.add(id);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("job parameter " + APPLICATION_IDS + "='" + raw + "': '" + s
                        + "' is not an application id; expected positive numbers separated by commas, like 1111,2222");
            }
        }
        return List.copyOf(ids);
    }

    private static List<String> sources(Properties p) {
        String raw = required(p, SOURCES, "a comma-separated list of sources, like events,installations (or all)");
        Set<String> known = FieldCatalog.get().sourceNames();
        if (raw.trim().equals("all")) {
            return List.copyOf(known);
        }
        Set<String> sources = new LinkedHashSet<>();
        for (String part : raw.split(",")) {
            String s = part.trim();
            if (!known.contains(s)) {
                throw new IllegalArgumentException("job parameter " + SOURCES + "='" + raw + "': unknown source '" + s
                        + "'; expected some of: " + String.join(", ", known) + " (or all)");
            }
            sources.add(s);
        }
        return List.copyOf(sources);
    }

    private static List<String> fields(Properties p, SourceSpec spec) {
        String name = FIELDS_PREFIX + spec.name();
        String raw = p.getProperty(name);
        if (isEmpty(raw)) {
            return spec.defaultFields().stream().map(FieldSpec::name).toList();
        }
        Set<String> fields = new LinkedHashSet<>(); // the API echoes a field requested twice: ask once
        for (String part : raw.split(",")) {
            String f = part.trim();
            if (spec.field(f).isEmpty()) {
                throw new IllegalArgumentException("job parameter " + name + "='" + raw + "': '" + f + "' is not a field of "
                        + spec.name() + "; expected some of: " + String.join(", ", spec.fields().stream().map(FieldSpec::name).toList()));
            }
            fields.add(f);
        }
        return List.copyOf(fields);
    }

    private static Map<String, String> filters(Properties p, SourceSpec spec) {
        String name = FILTERS_PREFIX + spec.name();
        String raw = p.getProperty(name);
        Map<String, String> filters = new LinkedHashMap<>();
        if (isEmpty(raw)) {
            return filters;
        }
        for (String part : raw.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            String field = eq < 0 ? "" : part.substring(0, eq).trim();
            if (REQUEST_PARAMETERS.contains(field)) {
                throw new IllegalArgumentException("job parameter " + name + "='" + raw + "': " + field
                        + " is a parameter of the export request, which the load sets itself; it cannot be a filter");
            }
            if (eq <= 0 || spec.field(field).isEmpty()) {
                throw new IllegalArgumentException("job parameter " + name + "='" + raw + "': '" + part
                        + "' is not a filter; expected field=value pairs separated by ';' with fields of " + spec.name()
                        + ", like os_name=android;country_iso_code=RU");
            }
            filters.put(field, part.substring(eq + 1));
        }
        return filters;
    }

    /** A cluster name of the server's remote_servers, or null (one server). */
    private static String cluster(Properties p, String dataSource) {
        String name = p.getProperty(CLICKHOUSE_CLUSTER);
        if (isEmpty(name)) {
            return null;
        }
        name = name.strip();
        try {
            Identifiers.requirePlainName("job parameter " + CLICKHOUSE_CLUSTER, name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        if (dataSource != null) {
            throw new IllegalArgumentException("job parameter " + CLICKHOUSE_CLUSTER + " needs " + CLICKHOUSE_URL + ", not "
                    + CLICKHOUSE_DATA_SOURCE + ": the loader connects to the replicas of each shard itself");
        }
        return name;
    }

    /** A JNDI name such as java:jboss/datasources/ClickHouseDS, or null; the datasource then holds URL, user and password. */
    private static String dataSource(Properties p) {
        String name = p.getProperty(CLICKHOUSE_DATA_SOURCE);
        if (isEmpty(name)) {
            return null;
        }
        name = name.trim();
        if (!JNDI_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("job parameter " + CLICKHOUSE_DATA_SOURCE + "='" + name
                    + "' is not a JNDI name: expected something like java:jboss/datasources/ClickHouseDS");
        }
        for (String other : List.of(CLICKHOUSE_URL, CLICKHOUSE_USER, CLICKHOUSE_PASSWORD_REF)) {
            if (!isEmpty(p.getProperty(other))) {
                throw new IllegalArgumentException("job parameters " + CLICKHOUSE_DATA_SOURCE + " and " + other + " exclude each other: "
                        + "the datasource " + name + " defines the ClickHouse URL, user and password");
            }
        }
        return name;
    }

    private static final Pattern JNDI_NAME = Pattern.compile("java:[A-Za-z0-9_][A-Za-z0-9_./:-]*");

    private static LocalDate date(Properties p, String name, boolean required) {
        String raw = p.getProperty(name);
        if (isEmpty(raw)) {
            if (required) {
                throw new IllegalArgumentException("job parameter " + name + " is required: expected a day like 2024-03-01");
            }
            return null;
        }
        try {
            return LocalDate.parse(raw.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("job parameter " + name + "='" + raw + "' is not a date: expected a day like 2024-03-01");
        }
    }

    private static String url(Properties p, LoadParameter parameter) {
        String v = parameter.value(p);
        if (!(v.startsWith("http://") || v.startsWith("https://"))) {
            throw new IllegalArgumentException("job parameter " + parameter.key() + "='" + v + "': expected an http(s) URL like "
                    + parameter.defaultValue());
        }
        return v;
    }

    private static String required(Properties p, String name, String expected) {
        String v = p.getProperty(name);
        if (isEmpty(v)) {
            throw new IllegalArgumentException("job parameter " + name + " is required: expected " + expected);
        }
        return v.trim();
    }

    /** The parameter, trimmed, or the default when it is missing or blank. */
    public static String value(Properties p, String name, String dflt) {
        String v = p.getProperty(name);
        return isEmpty(v) ? dflt : v.trim();
    }

    private static boolean isEmpty(String v) {
        return v == null || v.isBlank();
    }
}
