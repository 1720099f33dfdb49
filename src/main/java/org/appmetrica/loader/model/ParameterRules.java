package org.appmetrica.loader.model;

import org.appmetrica.loader.clickhouse.ClickHouseSettings;
import org.appmetrica.loader.clickhouse.Identifiers;
import org.appmetrica.loader.config.SecretRef;
import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.schema.FieldSpec;
import org.appmetrica.loader.schema.SourceSpec;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rule of each {@link LoadParameter.Type}, the few of one parameter, and those of a source's {@code fields.} and
 * {@code filters.}: a raw value as given (null or blank: the default) in, the typed value out, or an
 * IllegalArgumentException naming the parameter and the expected form.
 * Rules that look at other parameters are {@link LoadParameters#parse}'s.
 */
final class ParameterRules {

    /**
     * Query parameters of a Logs API export that the load itself sets. A filter is a query parameter too, and a
     * filter {@code application_id=999} would load another application's rows into this one's partitions.
     */
    private static final Set<String> REQUEST_PARAMETERS = Set.of("application_id", "date_since", "date_until", "date_dimension", "fields",
            "parts_count", "part_number", "use_utf8_bom", "oauth_token", "skip_unavailable_shards", "format");
    private static final Pattern JNDI_NAME = Pattern.compile("java:[A-Za-z0-9_][A-Za-z0-9_./:-]*");

    private ParameterRules() {
    }

    /** The rule of the parameter's type. */
    static Object byType(LoadParameter p, String raw) {
        return switch (p.type()) {
            case TEXT -> text(p, raw);
            case NAME -> plainName(p, raw);
            case DATE -> date(p, raw);
            case CHOICE -> choice(p, raw);
            case INT -> integer(p, raw);
            case URL -> httpUrl(p, raw);
            case SECRET_REF -> secretRef(p, raw);
            case JNDI -> jndiName(p, raw);
            case PATH -> Path.of(text(p, raw));
            case LIST -> throw new IllegalStateException(p.key() + ": a list has a rule of its own");
        };
    }

    /** Trimmed, or the default when missing or blank. */
    static String text(LoadParameter p, String raw) {
        return isEmpty(raw) ? p.defaultValue() : raw.trim();
    }

    static Integer integer(LoadParameter p, String raw) {
        if (isEmpty(raw)) {
            return p.defaultValue() == null ? null : Integer.valueOf(p.defaultValue());
        }
        try {
            int v = Integer.parseInt(raw.trim());
            if (v < p.min() || v > p.max()) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("job parameter " + p.key() + "='" + raw + "': expected a whole number from " + p.min()
                    + " to " + p.max());
        }
    }

    static String choice(LoadParameter p, String raw) {
        String v = text(p, raw);
        if (!p.choices().contains(v)) {
            throw new IllegalArgumentException("job parameter " + p.key() + "='" + v + "': expected one of " + String.join(", ", p.choices()));
        }
        return v;
    }

    static LocalDate date(LoadParameter p, String raw) {
        if (isEmpty(raw)) {
            return null; // whether it is required depends on the sources
        }
        try {
            return LocalDate.parse(raw.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("job parameter " + p.key() + "='" + raw + "' is not a date: expected a day like 2024-03-01");
        }
    }

    static String httpUrl(LoadParameter p, String raw) {
        String v = text(p, raw);
        if (!(v.startsWith("http://") || v.startsWith("https://"))) {
            throw new IllegalArgumentException("job parameter " + p.key() + "='" + v + "': expected an http(s) URL like " + p.defaultValue());
        }
        return v;
    }

    /** A ClickHouse URL, jdbc: or http(s). */
    static String clickhouseUrl(LoadParameter p, String raw) {
        String v = text(p, raw);
        try {
            ClickHouseSettings.endpointFromUrl(v);
        } catch (IllegalArgumentException e) {
            // the value is not repeated: it may hold a password
            throw new IllegalArgumentException("job parameter " + p.key() + " " + e.getMessage());
        }
        return v;
    }

    static String secretRef(LoadParameter p, String raw) {
        String v = text(p, raw);
        SecretRef.validate(p.key(), v);
        return v;
    }

    /** A database or cluster name fit for SQL, or null when not given and without default. */
    static String plainName(LoadParameter p, String raw) {
        String v = text(p, raw);
        if (v == null) {
            return null;
        }
        try {
            Identifiers.requirePlainName("job parameter " + p.key(), v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        return v;
    }

    /** A JNDI name such as java:jboss/datasources/ClickHouseDS, or null. */
    static String jndiName(LoadParameter p, String raw) {
        if (isEmpty(raw)) {
            return null;
        }
        String name = raw.trim();
        if (!JNDI_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("job parameter " + p.key() + "='" + name
                    + "' is not a JNDI name: expected something like java:jboss/datasources/ClickHouseDS");
        }
        return name;
    }

    static List<Long> applicationIds(LoadParameter p, String given) {
        String raw = required(p, given, "a comma-separated list of numeric application ids, like 1111,2222");
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
                throw new IllegalArgumentException("job parameter " + p.key() + "='" + raw + "': '" + s
                        + "' is not an application id; expected positive numbers separated by commas, like 1111,2222");
            }
        }
        return List.copyOf(ids);
    }

    static List<String> sources(LoadParameter p, String given) {
        String raw = required(p, given, "a comma-separated list of sources, like events,installations (or all)");
        Set<String> known = FieldCatalog.get().sourceNames();
        if (raw.equals("all")) {
            return List.copyOf(known);
        }
        Set<String> sources = new LinkedHashSet<>();
        for (String part : raw.split(",")) {
            String s = part.trim();
            if (!known.contains(s)) {
                throw new IllegalArgumentException("job parameter " + p.key() + "='" + raw + "': unknown source '" + s
                        + "'; expected some of: " + String.join(", ", known) + " (or all)");
            }
            sources.add(s);
        }
        return List.copyOf(sources);
    }

    static Long bytes(LoadParameter p, String raw) {
        String v = text(p, raw);
        try {
            long max = Long.parseLong(v);
            if (max < 1) {
                throw new NumberFormatException();
            }
            return max;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("job parameter " + p.key() + "='" + v
                    + "': expected a positive whole number of bytes, like 53687091200 (50 GiB, the default)");
        }
    }

    /** gzip or none, in any case. */
    static String compression(LoadParameter p, String raw) {
        String v = text(p, raw).toLowerCase(Locale.ROOT);
        if (!p.choices().contains(v)) {
            throw new IllegalArgumentException("job parameter " + p.key() + "='" + (isEmpty(raw) ? "" : raw.trim())
                    + "': expected gzip (the default) or none");
        }
        return v;
    }

    /** The field list of a source of the load: {@code fields.<source>}, or its default fields. */
    static List<String> fields(Properties p, SourceSpec spec) {
        String name = LoadParameters.FIELDS_PREFIX + spec.name();
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

    /** The equality filters of a source of the load: {@code filters.<source>}, maybe none. */
    static Map<String, String> filters(Properties p, SourceSpec spec) {
        String name = LoadParameters.FILTERS_PREFIX + spec.name();
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

    private static String required(LoadParameter p, String raw, String expected) {
        if (isEmpty(raw)) {
            throw new IllegalArgumentException("job parameter " + p.key() + " is required: expected " + expected);
        }
        return raw.trim();
    }

    static boolean isEmpty(String v) {
        return v == null || v.isBlank();
    }
}
