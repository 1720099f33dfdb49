package org.appmetrica.loader.connection;

import org.appmetrica.loader.model.LoadParameters;
import org.appmetrica.loader.regular.ReloadDays;
import org.appmetrica.loader.schema.FieldCatalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A regular-load file ({@code schedule --config FILE}, WildFly's {@code appmetrica.regular.dir}) read as a regular
 * connection: the same fields under the job parameters' names ({@code applicationIds}, {@code sources},
 * {@code fields.<source>}, {@code filters.<source>}, {@code clickhouseUrl} …), the connection's own keys ({@code name},
 * {@code loadFrom}, {@code schedule}, {@code timeZone}, {@code reloadDays}, {@code includeToday}) and any other job
 * parameter. The connection is then checked and compiled as a stored one, with the same defaults.
 */
public final class ConnectionFile {

    private ConnectionFile() {
    }

    public static Connection read(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        return read(p);
    }

    /** The connection the keys describe, not yet {@link Connection#validated() validated}. */
    public static Connection read(Properties file) {
        Map<String, String> rest = new TreeMap<>();
        file.stringPropertyNames().forEach(k -> {
            String v = file.getProperty(k).trim();
            if (!v.isEmpty()) {
                rest.put(k, v);
            }
        });
        String name = rest.remove("name");
        String days = ReloadDays.resolve("regular load " + name, rest.remove(ReloadDays.KEY), rest.remove(ReloadDays.ALIAS));
        String today = rest.remove("includeToday");
        Map<String, Connection.Source> sources = sources(rest);
        Connection.Target target = new Connection.Target(rest.remove(LoadParameters.CLICKHOUSE_URL), rest.remove(LoadParameters.CLICKHOUSE_DATABASE),
                rest.remove(LoadParameters.CLICKHOUSE_USER), rest.remove(LoadParameters.CLICKHOUSE_PASSWORD_REF),
                rest.remove(LoadParameters.CLICKHOUSE_DATA_SOURCE));
        return new Connection(name, applications(rest.remove(LoadParameters.APPLICATION_IDS)), sources,
                rest.remove(LoadParameters.DATE_DIMENSION), rest.remove(LoadParameters.FORMAT), rest.remove("loadFrom"), Connection.REGULAR,
                rest.remove("schedule"), rest.remove("timeZone"), days == null ? null : ReloadDays.parse(days), rest.remove(LoadParameters.API_URL),
                rest.remove(LoadParameters.TOKEN_REF), target, today == null ? null : Boolean.parseBoolean(today), rest.isEmpty() ? null : rest);
    }

    private static List<Long> applications(String raw) {
        if (raw == null) {
            return null;
        }
        List<Long> ids = new ArrayList<>();
        for (String part : raw.split(",")) {
            try {
                ids.add(Long.parseLong(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(LoadParameters.APPLICATION_IDS + "='" + raw + "': '" + part.trim()
                        + "' is not an application id; expected positive numbers separated by commas, like 1111,2222");
            }
        }
        return ids;
    }

    /** {@code sources} (or all) with the {@code fields.<source>} and {@code filters.<source>} of each, taken from {@code rest}. */
    private static Map<String, Connection.Source> sources(Map<String, String> rest) {
        String raw = rest.remove(LoadParameters.SOURCES);
        if (raw == null) {
            return null;
        }
        List<String> names = raw.equals("all") ? List.copyOf(FieldCatalog.get().sourceNames())
                : Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String key : List.copyOf(rest.keySet())) {
            String source = key.startsWith(LoadParameters.FIELDS_PREFIX) ? key.substring(LoadParameters.FIELDS_PREFIX.length())
                    : key.startsWith(LoadParameters.FILTERS_PREFIX) ? key.substring(LoadParameters.FILTERS_PREFIX.length()) : null;
            if (source != null && !names.contains(source)) {
                throw new IllegalArgumentException(key + ": " + source + " is not among " + LoadParameters.SOURCES + "=" + raw);
            }
        }
        Map<String, Connection.Source> sources = new LinkedHashMap<>();
        for (String source : names) {
            String fields = rest.remove(LoadParameters.FIELDS_PREFIX + source);
            String filters = rest.remove(LoadParameters.FILTERS_PREFIX + source);
            sources.put(source, new Connection.Source(fields == null ? null : Arrays.stream(fields.split(",")).map(String::trim)
                    .filter(f -> !f.isEmpty()).toList(), filters == null ? null : filters(source, filters)));
        }
        return sources;
    }

    private static Map<String, String> filters(String source, String raw) {
        Map<String, String> filters = new LinkedHashMap<>();
        for (String part : raw.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(LoadParameters.FILTERS_PREFIX + source + "='" + raw + "': '" + part
                        + "' is not a filter; expected field=value pairs separated by ';', like os_name=android;country_iso_code=RU");
            }
            filters.put(part.substring(0, eq).trim(), part.substring(eq + 1));
        }
        return filters;
    }
}
