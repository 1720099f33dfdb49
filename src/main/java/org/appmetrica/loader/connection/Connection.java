package org.appmetrica.loader.connection;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.appmetrica.loader.model.LoadParameters;
import org.appmetrica.loader.model.LoadParametersBuilder;
import org.appmetrica.loader.regular.RegularLoadDefinition;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A named, durable load definition, as DataLens' "AppMetrica via Logs API" connection: applications, sources (each
 * with optional fields and filters), date dimension and format, load-from, regularity, the target ClickHouse. Secrets
 * are references only ({@code tokenRef}, {@code target.passwordRef}). Its JSON is the REST API's {@code Connection}; the
 * read-only fields of a view are ignored on input, so a shown connection can be edited and sent back.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties({"state", "reason", "progress", "lastRun", "nextRun", "covers"})
public record Connection(String name, List<Long> applications, Map<String, Source> sources, String dateDimension, String format,
                         String loadFrom, String regularity, String schedule, String timeZone, Integer reloadDays, String apiUrl,
                         String tokenRef, Target target) {

    public static final String ONE_TIME = "one-time";
    public static final String REGULAR = "regular";
    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final Pattern DAILY = Pattern.compile("\\d{1,2}:\\d{2}");
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

    public static Connection fromJson(String json) {
        try {
            Connection c = MAPPER.readValue(json, Connection.class);
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
     * format csv, time zone UTC, and for a regular connection the schedule 03:00 and a re-load window of 3 days.
     */
    public Connection validated() {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name='" + name + "': expected 1 to 64 of a-z, 0-9, '_' and '-'");
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
        Integer window = reloadDays == null && regular ? Integer.valueOf(3) : reloadDays;
        if (window != null && (window < 0 || window > 365)) {
            throw new IllegalArgumentException("reloadDays=" + window + ": expected 0 to 365");
        }
        Target t = target == null ? new Target(null, null, null, null, null) : target;
        if (t.dataSource() != null && (t.url() != null || t.user() != null || t.passwordRef() != null)) {
            throw new IllegalArgumentException("target: give either a dataSource or url, user and passwordRef, not both");
        }
        Target filled = t.dataSource() != null
                ? new Target(null, or(t.database(), LoadParameters.Defaults.CLICKHOUSE_DATABASE), null, null, t.dataSource())
                : new Target(or(t.url(), LoadParameters.Defaults.CLICKHOUSE_URL), or(t.database(), LoadParameters.Defaults.CLICKHOUSE_DATABASE),
                or(t.user(), LoadParameters.Defaults.CLICKHOUSE_USER), or(t.passwordRef(), LoadParameters.Defaults.CLICKHOUSE_PASSWORD_REF), null);
        Connection c = new Connection(name, List.copyOf(applications), new TreeMap<>(sources), or(dateDimension, LoadParameters.Defaults.DATE_DIMENSION),
                or(format, LoadParameters.Defaults.FORMAT), loadFrom, regularity, when, zone, window,
                or(apiUrl, LoadParameters.Defaults.API_URL), or(tokenRef, LoadParameters.Defaults.TOKEN_REF), filled);
        c.definition(new Properties()); // the job parameters' own checks: sources, fields, filters, URLs, secret references
        return c;
    }

    private static String or(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** The parameters of {@code appmetrica-load} for this connection, without the days (the planner chooses them). */
    public Properties jobParameters(Properties defaults) {
        LoadParametersBuilder b = LoadParameters.builder().setAll(defaults)
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
        Properties p = jobParameters(defaults);
        p.setProperty("name", name);
        p.setProperty("loadFrom", loadFrom);
        p.setProperty("timeZone", timeZone == null ? "UTC" : timeZone);
        String when = schedule == null ? "03:00" : schedule;
        p.setProperty("schedule", DAILY.matcher(when.trim()).matches() ? "daily " + when.trim() : when);
        p.setProperty("reloadWindowDays", Integer.toString(isRegular() && reloadDays != null ? reloadDays : 0));
        return RegularLoadDefinition.parse(p);
    }

    /** This connection under another name (a body that leaves the name out takes the one of its URL). */
    public Connection withName(String newName) {
        return new Connection(newName, applications, sources, dateDimension, format, loadFrom, regularity, schedule, timeZone, reloadDays,
                apiUrl, tokenRef, target);
    }

    /** Same target: the same ClickHouse (URL or datasource) and database, where this connection's days are recorded. */
    public boolean sameTarget(Connection other) {
        return Objects.equals(target.url(), other.target.url()) && Objects.equals(target.dataSource(), other.target.dataSource())
                && Objects.equals(target.database(), other.target.database());
    }
}
