package org.appmetrica.loader.model;

import org.appmetrica.loader.clickhouse.ClickHouseTarget;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Every fixed job parameter of {@code appmetrica-load}, defined once: its key, type, default, range or choices, who may
 * set it and a one-line doc. {@link LoadParameters#NAMES}, the builder, validation, {@code run --help}, the job XML's
 * property list and the parameter table of docs/loads.md are derived from it or checked against it by tests.
 * {@code fields.<source>} and {@code filters.<source>} come on top.
 */
public enum LoadParameter {

    APPLICATION_IDS("applicationIds", Type.LIST, null, Access.ANY, "comma-separated numeric application ids (required)") {
        @Override
        public Object parse(String raw) {
            return ParameterRules.applicationIds(this, raw);
        }
    },
    SOURCES("sources", Type.LIST, null, Access.ANY, "comma-separated sources, or all (required)") {
        @Override
        public Object parse(String raw) {
            return ParameterRules.sources(this, raw);
        }
    },
    DATE_SINCE("dateSince", Type.DATE, null, Access.ANY, "first day, yyyy-MM-dd (required for dated sources)"),
    DATE_UNTIL("dateUntil", Type.DATE, null, Access.ANY, "last day, inclusive"),
    DATE_DIMENSION("dateDimension", "default", "time on the device (default) or time the server received it (receive)", "default", "receive"),
    FORMAT("format", "csv", "the export format requested from the API", "csv", "json"),
    API_URL("apiUrl", Type.URL, "https://api.appmetrica.yandex.ru", Access.HELD, "Logs API base URL"),
    TOKEN_REF("tokenRef", Type.SECRET_REF, "env:APPMETRICA_TOKEN", Access.HELD, "where the OAuth token is: env:, file:, prop: or cs:"),
    CLICKHOUSE_URL(ClickHouseTarget.URL, Type.URL, "jdbc:clickhouse://127.0.0.1:8123", Access.HELD, "ClickHouse URL") {
        @Override
        public Object parse(String raw) {
            return ParameterRules.clickhouseUrl(this, raw);
        }
    },
    CLICKHOUSE_DATABASE(ClickHouseTarget.DATABASE, Type.NAME, "appmetrica", Access.ANY, "target database, created if missing"),
    CLICKHOUSE_USER(ClickHouseTarget.USER, Type.TEXT, "default", Access.ANY, "ClickHouse user"),
    CLICKHOUSE_PASSWORD_REF(ClickHouseTarget.PASSWORD_REF, Type.SECRET_REF, "env:CLICKHOUSE_PASSWORD", Access.HELD,
            "where the ClickHouse password is (same forms as tokenRef)"),
    CLICKHOUSE_DATA_SOURCE(ClickHouseTarget.DATA_SOURCE, Type.JNDI, null, Access.ANY,
            "JNDI name of a datasource of the application server; replaces URL, user and password"),
    CLICKHOUSE_CLUSTER(ClickHouseTarget.CLUSTER, Type.NAME, null, Access.OPERATOR, "a cluster of clickhouseUrl's remote_servers"),
    CLICKHOUSE_CLUSTER_HTTP_PORT_OFFSET(ClickHouseTarget.CLUSTER_HTTP_PORT_OFFSET, null, -65535, 65535, Access.OPERATOR,
            "a replica's HTTP port is its TCP port plus this (nodes sharing one host)"),
    CHUNK_SIZE("chunkSize", 100_000, 1, 1_000_000, Access.ANY, "rows per chunk at most: one INSERT and one checkpoint"),
    PARALLELISM("parallelism", null, 1, 64, Access.ANY, "slices loaded at once (default 3 per application, at most 12)"),
    POLL_INTERVAL_SECONDS("pollIntervalSeconds", 10, 0, 3600, Access.ANY, "longest wait between requests while the API answers 202: 1 s first, then doubling up to it"),
    POLL_TIMEOUT_SECONDS("pollTimeoutSeconds", 7200, 1, 7 * 24 * 3600, Access.ANY, "how long one export may wait in the API"),
    RATE_LIMIT_WAIT_SECONDS("rateLimitWaitSeconds", 60, 0, 3600, Access.ANY, "wait after 429"),
    MAX_RETRIES("maxRetries", 5, 0, 100, Access.ANY, "5xx answers, timeouts or broken downloads in a row before the slice fails"),
    RETRY_BACKOFF_SECONDS("retryBackoffSeconds", 2, 0, 600, Access.ANY, "first back-off after such an error; doubles each time"),
    HTTP_TIMEOUT_SECONDS("httpTimeoutSeconds", 300, 1, 86_400, Access.ANY, "read timeout of every Logs API call"),
    SPOOL_DIR("spoolDir", Type.PATH, defaultSpoolDir(), Access.HELD, "where downloaded exports are kept until loaded"),
    LEASE_WAIT_SECONDS("leaseWaitSeconds", 3600, 0, 7 * 24 * 3600, Access.ANY,
            "how long a slice waits while another execution loads the same slice"),
    INSERTS_IN_FLIGHT("insertsInFlight", 1, 1, 8, Access.ANY,
            "chunks of one slice handed to its INSERT and not yet sent, while the next one is read and mapped"),
    INSERT_ROWS("insertRows", 1_048_576, 1, 100_000_000, Access.ANY,
            "rows of one INSERT at most, streamed over many chunks: one ClickHouse part each"),
    INSERT_MEGABYTES("insertMegabytes", 96, 1, 1024, Access.ANY,
            "an INSERT also ends before its rows pass this much as Native blocks: the server holds about 4 times that"),
    CHUNK_MEGABYTES("chunkMegabytes", 16, 1, 1024, Access.ANY,
            "a chunk also ends once its rows take this much as the Native block sent to ClickHouse"),
    MAX_EXPORT_BYTES("maxExportBytes", Type.TEXT, "53687091200", Access.ANY,
            "the most one export part may send, as received (bytes)") {
        @Override
        public Object parse(String raw) {
            return ParameterRules.bytes(this, raw);
        }
    },
    COMPRESSION("compression", "gzip", "gzip: ask for a compressed export and keep the spool compressed; none: the plain file",
            "gzip", "none") {
        @Override
        public Object parse(String raw) {
            return ParameterRules.compression(this, raw);
        }
    },
    AUTO_RESTART("autoRestart", 0, 0, 100, Access.ANY,
            "times a schedule or console restarts the execution by itself after its process died (3 for connections)");

    /** How a value is written. */
    public enum Type { TEXT, NAME, LIST, DATE, CHOICE, INT, URL, SECRET_REF, JNDI, PATH }

    /**
     * Who may set a parameter: anyone who may start a load; anyone, but only to values on the operator's lists (console
     * options {@code --allow-*}, WildFly's {@code appmetrica.allow.*}); or the operator alone (the CLI's {@code run},
     * WildFly's start-job), never a console or REST user.
     */
    public enum Access { ANY, HELD, OPERATOR }

    /** Names that look like a secret itself, not a reference to one: never job parameters (one rule for all checks). */
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(token|password|passwd|secret|credential|apikey|api_key|private).*");

    private final String key;
    private final Type type;
    private final String defaultValue;
    private final int min;
    private final int max;
    private final List<String> choices;
    private final Access access;
    private final String doc;

    LoadParameter(String key, Type type, String defaultValue, Access access, String doc) {
        this(key, type, defaultValue, 0, 0, List.of(), access, doc);
    }

    LoadParameter(String key, String defaultValue, String doc, String... choices) {
        this(key, Type.CHOICE, defaultValue, 0, 0, List.of(choices), Access.ANY, doc);
    }

    LoadParameter(String key, Integer defaultValue, int min, int max, Access access, String doc) {
        this(key, Type.INT, defaultValue == null ? null : defaultValue.toString(), min, max, List.of(), access, doc);
    }

    LoadParameter(String key, Type type, String defaultValue, int min, int max, List<String> choices, Access access, String doc) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.choices = choices;
        this.access = access;
        this.doc = doc;
    }

    public String key() {
        return key;
    }

    public Type type() {
        return type;
    }

    /** The default as text, or null (required, derived, or unset). */
    public String defaultValue() {
        return defaultValue;
    }

    public int min() {
        return min;
    }

    public int max() {
        return max;
    }

    public List<String> choices() {
        return choices;
    }

    public Access access() {
        return access;
    }

    public String doc() {
        return doc;
    }

    /** A secret reference (tokenRef, clickhousePasswordRef): shown as it is, never resolved where it is shown. */
    public boolean secretRef() {
        return type == Type.SECRET_REF;
    }

    /** The parameter named {@code key}, if it is a fixed one. */
    public static Optional<LoadParameter> of(String key) {
        return Arrays.stream(values()).filter(p -> p.key.equals(key)).findFirst();
    }

    /** Every fixed key, in definition order. */
    public static List<String> keys() {
        return Arrays.stream(values()).map(LoadParameter::key).toList();
    }

    /**
     * True for a name like {@code token} or {@code clickhousePassword}, which would hold a secret itself; not for a
     * reference such as {@code tokenRef}, nor for the field lists and filters of a source ({@code fields.push_tokens}).
     */
    public static boolean secretLikeName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return SECRET_NAME.matcher(n).matches() && !n.endsWith("ref")
                && !n.startsWith(LoadParameters.FIELDS_PREFIX) && !n.startsWith(LoadParameters.FILTERS_PREFIX);
    }

    /** The value given (trimmed), or the default when it is missing or blank. */
    public String value(Properties p) {
        return ParameterRules.text(this, p.getProperty(key));
    }

    /**
     * The value as its rule reads it: {@code raw} as given (null or blank: the default), typed (Integer, Long, String,
     * LocalDate, Path, a list) and checked, or null when not given and without a default. Throws
     * IllegalArgumentException naming the parameter and the expected form.
     */
    public Object parse(String raw) {
        return ParameterRules.byType(this, raw);
    }

    /** {@link #parse(String)} of this parameter in {@code p}. */
    public Object parse(Properties p) {
        return parse(p.getProperty(key));
    }

    /** An INT parameter: {@link #parse(String)}, never null (a derived default is not this class's). */
    public int intValue(String raw) {
        if (type != Type.INT || defaultValue == null) {
            throw new IllegalStateException(key + " is not a whole number with a default");
        }
        return (Integer) parse(raw);
    }

    /** In WildFly under the server's data directory; elsewhere a directory of this user in the temporary one. */
    private static String defaultSpoolDir() {
        return System.getProperty("jboss.server.data.dir") != null
                ? System.getProperty("jboss.server.data.dir") + "/appmetrica/spool"
                : System.getProperty("java.io.tmpdir") + "/appmetrica-loader-spool-" + System.getProperty("user.name");
    }

    /** The lines {@code run --help} lists: key, default, who may set it, doc. */
    public static String help() {
        StringBuilder b = new StringBuilder("Job parameters (KEY=VALUE; see docs/loads.md, Job parameters):\n");
        for (LoadParameter p : values()) {
            b.append(String.format(Locale.ROOT, "  %-33s %s", p.key, p.doc));
            if (p.defaultValue != null) {
                b.append(" [default ").append(p.defaultValue).append(']');
            }
            if (p.type == Type.INT) {
                b.append(" (").append(p.min).append('-').append(p.max).append(')');
            }
            if (p.access == Access.OPERATOR) {
                b.append(" {operator only}");
            }
            b.append('\n');
        }
        return b.append("  fields.<source>, filters.<source>   a source's field list and equality filters\n").toString();
    }
}
