package org.appmetrica.loader.connection;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.appmetrica.loader.model.LoadParameters;
import org.appmetrica.loader.model.LoadParametersBuilder;
import org.appmetrica.loader.regular.RegularLoadDefinition;
import org.appmetrica.loader.regular.ReloadDays;
import org.appmetrica.loader.regular.Schedule;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A named, durable load definition, as DataLens' "AppMetrica via Logs API" connection: applications, sources (each
 * with optional fields and filters), date dimension and format, load-from, regularity, the target ClickHouse. Secrets
 * are references only ({@code tokenRef}, {@code target.passwordRef}). Its JSON is the REST API's {@code Connection}; the
 * read-only fields of a view are ignored on input, so a shown connection can be edited and sent back. A regular-load file
 * is read as one ({@link ConnectionFile}): {@code includeToday} and {@code parameters} (any other job parameter, such as
 * chunkSize or autoRestart) hold what such a file says beyond the DataLens fields.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties({"state", "reason", "progress", "lastRun", "nextRun", "covers"})
public record Connection(String name, List<Long> applications, Map<String, Source> sources, String dateDimension, String format,
                         String loadFrom, String regularity, String schedule, String timeZone, Integer reloadDays, String apiUrl,
                         String tokenRef, Target target, Boolean includeToday, Map<String, String> parameters) {

    public static final String ONE_TIME = "one-time";
    public static final String REGULAR = "regular";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** Job parameters a field of the connection holds: never in {@code parameters}. */
    private static final Map<String, String> HELD_BY_FIELDS = Map.ofEntries(Map.entry(LoadParameters.APPLICATION_IDS, "applications"),
            Map.entry(LoadParameters.SOURCES, "sources"), Map.entry(LoadParameters.DATE_DIMENSION, "dateDimension"),
            Map.entry(LoadParameters.FORMAT, "format"), Map.entry(LoadParameters.API_URL, "apiUrl"),
            Map.entry(LoadParameters.TOKEN_REF, "tokenRef"), Map.entry(LoadParameters.CLICKHOUSE_URL, "target.url"),
            Map.entry(LoadParameters.CLICKHOUSE_DATABASE, "target.database"), Map.entry(LoadParameters.CLICKHOUSE_USER, "target.user"),
            Map.entry(LoadParameters.CLICKHOUSE_PASSWORD_REF, "target.passwordRef"),
            Map.entry(LoadParameters.CLICKHOUSE_DATA_SOURCE, "target.dataSource"));
    private static final Set<String> OWN = Set.of("name", "loadFrom", "regularity", "schedule", "timeZone", ReloadDays.KEY, ReloadDays.ALIAS,
            "includeToday");
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** A source's fields (empty or absent: the default set) and filters (field = value). */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Source(List<String> fields, Map<String, String> filters) {
        List<String> fieldList() {
            return fields == null ? List.of() : fields;
        }

        Map<String, String> filterMap() {
            return filters == null ? Map.of() : new TreeMap<>(filters);
        }
    }

    /** The target ClickHouse: a URL with user and password reference, or (in WildFly) a datasource; and the database. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Target(String url, String database, String user, String passwordRef, String dataSource) {
    }

    /** The JSON of a connection; {@code reloadWindowDays} is read as {@code reloadDays}, with a warning. */
    public static Connection fromJson(String json) {
        try {
            JsonNode tree = MAPPER.readTree(json);
            if (tree instanceof ObjectNode o && o.has(ReloadDays.ALIAS)) {
                JsonNode alias = o.remove(ReloadDays.ALIAS);
                JsonNode given = o.get(ReloadDays.KEY);
                ReloadDays.resolve("connection " + o.path("name").asText(""), given == null || given.isNull() ? null : given.asText(),
                        alias.asText());
                o.set(ReloadDays.KEY, alias);
            }
            Connection c = tree == null ? null : MAPPER.treeToValue(tree, Connection.class);
            if (c == null) {
                throw new IllegalArgumentException("the connection must be a JSON object");
            }
            return c;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the connection is not valid JSON: " + e.getOriginalMessage());
        }
    }

    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a connection as JSON: " + e.getMessage(), e);
        }
    }

    @JsonIgnore
    public boolean isRegular() {
        return REGULAR.equals(regularity);
    }

    @JsonIgnore
    public LocalDate loadFromDay() {
        return LocalDate.parse(loadFrom);
    }

    /**
     * Checks every field (the message names the offending one) and fills the defaults: date dimension "default",
     * format csv, time zone UTC, and for a regular connection the schedule 03:00 and the re-load window of
     * {@link ReloadDays#defaultFor} (7 days, 1 by receive time). A schedule is kept in one spelling (HH:MM, every N h).
     */
    public Connection validated() {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name='" + name + "': expected 1 to 64 of letters, digits, '_' and '-'");
        }
        if (applications == null || applications.isEmpty() || applications.stream().anyMatch(a -> a == null || a <= 0)) {
            throw new IllegalArgumentException("applications: expected one or more application ids (positive numbers)");
        }
        if (sources == null || sources.isEmpty()) {
            throw new IllegalArgumentException("sources: expected one or more sources, e.g. {\"events\": {}}");
        }
        try {
            LocalDate.parse(String.valueOf(loadFrom));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("loadFrom='" + loadFrom + "': expected a day like 2024-03-01");
        }
        if (!ONE_TIME.equals(regularity) && !REGULAR.equals(regularity)) {
            throw new IllegalArgumentException("regularity='" + regularity + "': expected one-time or regular");
        }
        String zone = timeZone == null ? "UTC" : timeZone;
        try {
            ZoneId.of(zone);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("timeZone='" + timeZone + "': expected e.g. Europe/Moscow or UTC");
        }
        boolean regular = REGULAR.equals(regularity);
        String when = schedule == null && regular ? "03:00" : schedule;
        if (when != null) {
            when = Schedule.parse(when, ZoneId.of(zone)).text();
        }
        String dimension = or(dateDimension, LoadParameters.Defaults.DATE_DIMENSION);
        Integer window = reloadDays == null && regular ? Integer.valueOf(ReloadDays.defaultFor(dimension)) : reloadDays;
        if (window != null) {
            ReloadDays.check(window);
        }
        Map<String, String> extra = given(parameters);
        if (extra != null) {
            for (String key : extra.keySet()) {
                String field = HELD_BY_FIELDS.get(key);
                if (field != null || OWN.contains(key) || key.startsWith(LoadParameters.FIELDS_PREFIX) || key.startsWith(LoadParameters.FILTERS_PREFIX)) {
                    throw new IllegalArgumentException("parameters: " + key + " is a field of the connection, not a parameter; set "
                            + (field != null ? field : OWN.contains(key) ? key : "sources.<source>.fields or .filters") + " instead");
                }
            }
        }
        Target t = target == null ? new Target(null, null, null, null, null) : target;
        if (t.dataSource() != null && (t.url() != null || t.user() != null || t.passwordRef() != null)) {
            throw new IllegalArgumentException("target: give either a dataSource or url, user and passwordRef, not both");
        }
        Target filled = t.dataSource() != null
                ? new Target(null, or(t.database(), LoadParameters.Defaults.CLICKHOUSE_DATABASE), null, null, t.dataSource())
                : new Target(or(t.url(), LoadParameters.Defaults.CLICKHOUSE_URL), or(t.database(), LoadParameters.Defaults.CLICKHOUSE_DATABASE),
                or(t.user(), LoadParameters.Defaults.CLICKHOUSE_USER), or(t.passwordRef(), LoadParameters.Defaults.CLICKHOUSE_PASSWORD_REF), null);
        Connection c = new Connection(name, List.copyOf(applications), new TreeMap<>(sources), dimension,
                or(format, LoadParameters.Defaults.FORMAT), loadFrom, regularity, when, zone, window,
                or(apiUrl, LoadParameters.Defaults.API_URL), or(tokenRef, LoadParameters.Defaults.TOKEN_REF), filled, includeToday, extra);
        c.definition(new Properties()); // the job parameters' own checks: sources, fields, filters, URLs, secret references
        return c;
    }

    /** The parameters with a value, sorted; null when there is none (the JSON leaves them out). */
    private static Map<String, String> given(Map<String, String> parameters) {
        Map<String, String> result = new TreeMap<>();
        if (parameters != null) {
            parameters.forEach((k, v) -> {
                if (k != null && v != null && !v.isBlank()) {
                    result.put(k, v.trim());
                }
            });
        }
        return result.isEmpty() ? null : result;
    }

    private static String or(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** The parameters of {@code appmetrica-load} for this connection, without the days (the planner chooses them). */
    public Properties jobParameters(Properties defaults) {
        LoadParametersBuilder b = LoadParameters.builder().setAll(defaults).setAll(Objects.requireNonNullElse(given(parameters), Map.of()))
                .applicationIds(applications.stream().mapToLong(Long::longValue).toArray())
                .sources(sources.keySet().toArray(String[]::new))
                .dateDimension(dateDimension).format(format).apiUrl(apiUrl).tokenRef(tokenRef)
                .clickhouseDatabase(target.database());
        sources.forEach((source, options) -> {
            Source o = options == null ? new Source(null, null) : options;
            if (!o.fieldList().isEmpty()) {
                b.fields(source, o.fieldList().toArray(String[]::new));
            }
            if (!o.filterMap().isEmpty()) {
                b.filters(source, o.filterMap().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(";")));
            }
        });
        if (target.dataSource() != null) {
            b.clickhouseDataSource(target.dataSource());
        } else {
            b.clickhouseUrl(target.url()).clickhouseUser(target.user()).clickhousePasswordRef(target.passwordRef());
        }
        return b.build();
    }

    /**
     * The regular load this connection runs as (its name keys its days in {@code _load_state}). A one-time connection
     * is a regular load that is never scheduled and never re-loads a day it has loaded (window 0).
     */
    public RegularLoadDefinition definition(Properties defaults) {
        Schedule when = Schedule.parse(schedule == null ? "03:00" : schedule, ZoneId.of(timeZone == null ? "UTC" : timeZone));
        return RegularLoadDefinition.of(name, loadFromDay(), when, isRegular() ? reloadDays : Integer.valueOf(0), Boolean.TRUE.equals(includeToday),
                jobParameters(defaults));
    }

    /** This connection under another name (a body that leaves the name out takes the one of its URL). */
    public Connection withName(String newName) {
        return new Connection(newName, applications, sources, dateDimension, format, loadFrom, regularity, schedule, timeZone, reloadDays,
                apiUrl, tokenRef, target, includeToday, parameters);
    }

    /** Same target: the same ClickHouse (URL or datasource) and database, where this connection's days are recorded. */
    public boolean sameTarget(Connection other) {
        return Objects.equals(target.url(), other.target.url()) && Objects.equals(target.dataSource(), other.target.dataSource())
                && Objects.equals(target.database(), other.target.database());
    }
}
