package org.appmetrica.loader.clickhouse;

import java.net.URI;
import java.time.Duration;

/**
 * Where and how to reach ClickHouse. The password is held only in memory and never printed.
 *
 * @param endpoint HTTP(S) endpoint, e.g. {@code http://127.0.0.1:8123}
 */
public record ClickHouseSettings(String endpoint, String user, String password, String database, Duration socketTimeout) {

    /**
     * Accepts {@code jdbc:clickhouse://host:port[/db][?ssl=true]}, {@code jdbc:ch://…} or {@code http(s)://host:port}.
     */
    public static String endpointFromUrl(String url) {
        String rest = url;
        boolean ssl = false;
        if (rest.startsWith("jdbc:clickhouse:")) {
            rest = rest.substring("jdbc:clickhouse:".length());
        } else if (rest.startsWith("jdbc:ch:")) {
            rest = rest.substring("jdbc:ch:".length());
        }
        if (rest.startsWith("//")) {
            rest = "http:" + rest;
        }
        URI uri = URI.create(rest);
        if (uri.getScheme() == null || uri.getHost() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException("not a ClickHouse URL: expected jdbc:clickhouse://host:port or http(s)://host:port");
        }
        if (uri.getQuery() != null && uri.getQuery().contains("ssl=true")) {
            ssl = true;
        }
        String scheme = ssl ? "https" : uri.getScheme();
        int port = uri.getPort() > 0 ? uri.getPort() : (scheme.equals("https") ? 8443 : 8123);
        return scheme + "://" + uri.getHost() + ":" + port;
    }

    @Override
    public String toString() {
        return "ClickHouseSettings[endpoint=" + endpoint + ", user=" + user + ", password=" + (password == null || password.isEmpty() ? "none" : "set")
                + ", database=" + database + "]";
    }
}
