package org.appmetrica.loader.clickhouse;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;

/**
 * Where and how to reach ClickHouse. The password is held only in memory and never printed.
 *
 * @param endpoint HTTP(S) endpoint, e.g. {@code http://127.0.0.1:8123}
 */
public record ClickHouseSettings(String endpoint, String user, String password, String database, Duration socketTimeout) {

    /**
     * Accepts {@code jdbc:clickhouse://host:port[/db][?ssl=true]}, {@code jdbc:ch://…} or {@code http(s)://host:port}.
     * Credentials in it are refused: a URL is a job parameter, stored in clear in the job repository, so the user goes
     * in {@code clickhouseUser} and the password is named by {@code clickhousePasswordRef}. Messages never repeat the URL.
     */
    public static String endpointFromUrl(String url) {
        String rest = url.strip();
        if (rest.startsWith("jdbc:clickhouse:")) {
            rest = rest.substring("jdbc:clickhouse:".length());
        } else if (rest.startsWith("jdbc:ch:")) {
            rest = rest.substring("jdbc:ch:".length());
        }
        if (rest.startsWith("//")) {
            rest = "http:" + rest;
        }
        URI uri;
        try {
            uri = new URI(rest);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a ClickHouse URL (" + e.getReason() + ")");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(CREDENTIALS);
        }
        if (uri.getScheme() == null || uri.getHost() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException("is not a ClickHouse URL: expected jdbc:clickhouse://host:port or http(s)://host:port");
        }
        boolean ssl = uri.getScheme().equals("https");
        for (String pair : uri.getRawQuery() == null ? new String[0] : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            String key = (eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : pair.substring(eq + 1).toLowerCase(Locale.ROOT);
            if (key.equals("user") || key.equals("username") || key.contains("password") || key.contains("token") || key.contains("secret")) {
                throw new IllegalArgumentException(CREDENTIALS);
            }
            if (key.equals("ssl")) {
                ssl = switch (value) {
                    case "true", "1" -> true;
                    case "false", "0" -> ssl;
                    default -> throw new IllegalArgumentException("has ssl=" + value + ": expected ssl=true or ssl=false");
                };
            }
        }
        String scheme = ssl ? "https" : "http";
        int port = uri.getPort() > 0 ? uri.getPort() : (ssl ? 8443 : 8123);
        return scheme + "://" + uri.getHost() + ":" + port;
    }

    private static final String CREDENTIALS = "carries credentials, which would be stored in clear with the job's parameters: "
            + "remove them and give the user as clickhouseUser and the password as clickhousePasswordRef (env:, file: or cs:)";

    @Override
    public String toString() {
        return "ClickHouseSettings[endpoint=" + endpoint + ", user=" + user + ", password=" + (password == null || password.isEmpty() ? "none" : "set")
                + ", database=" + database + "]";
    }
}
