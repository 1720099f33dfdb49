package org.appmetrica.loader.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.DataStreamWriter;
import com.clickhouse.client.api.command.CommandSettings;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.data.ClickHouseFormat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A thin, synchronous wrapper around client-v2 that works on ClickHouse 18.16 and on current releases:
 * no response compression (18.16 answers empty bodies otherwise), no client retries (retries are decided
 * by the batch job, so an INSERT is never silently sent twice), FORMAT always in the SQL text.
 */
public final class ClickHouseConnection implements AutoCloseable {

    private final Client client;
    private final long timeoutSeconds;
    private ServerVersion version;

    private ClickHouseConnection(Client client, long timeoutSeconds) {
        this.client = client;
        this.timeoutSeconds = timeoutSeconds;
    }

    public static ClickHouseConnection open(ClickHouseSettings settings) {
        Client client = new Client.Builder()
                .addEndpoint(settings.endpoint())
                .setUsername(settings.user())
                .setPassword(settings.password() == null ? "" : settings.password())
                .compressServerResponse(false)
                .setMaxRetries(0)
                .setConnectTimeout(10, ChronoUnit.SECONDS)
                .setSocketTimeout(settings.socketTimeout().toMillis(), ChronoUnit.MILLIS)
                .serverSetting("wait_end_of_query", "1")
                .build();
        return new ClickHouseConnection(client, settings.socketTimeout().toSeconds() + 30);
    }

    /**
     * A connection of its own to the server that {@code template} talks to, e.g. the client-v2 {@link Client} behind a
     * jdbc-v2 connection of an application server's datasource: the same endpoints, user, password and options (TLS,
     * server settings of the URL), with this class's settings on top (no response compression, no client retries,
     * {@code wait_end_of_query}). {@code template} is neither used nor closed, so the datasource's connection can go
     * back to its pool at once.
     */
    public static ClickHouseConnection openLike(Client template, Duration socketTimeout) {
        Client.Builder builder = new Client.Builder().setOptions(template.getConfiguration());
        template.getEndpoints().forEach(builder::addEndpoint);
        Client client = builder
                .compressServerResponse(false)
                .setMaxRetries(0)
                .setConnectTimeout(10, ChronoUnit.SECONDS)
                .setSocketTimeout(socketTimeout.toMillis(), ChronoUnit.MILLIS)
                .serverSetting("wait_end_of_query", "1")
                .build();
        return new ClickHouseConnection(client, socketTimeout.toSeconds() + 30);
    }

    /** Runs a statement that returns no rows (DDL, ALTER). */
    public void execute(String sql) {
        execute(sql, Map.of());
    }

    /** Runs a statement that returns no rows with these query settings (sent as URL parameters). */
    public void execute(String sql, Map<String, String> settings) {
        CommandSettings commandSettings = new CommandSettings();
        settings.forEach(commandSettings::serverSetting);
        try {
            await(client.execute(sql, commandSettings), sql).close();
        } catch (ClickHouseException e) {
            throw e;
        } catch (Exception e) {
            throw ClickHouseException.of("ClickHouse failed: " + abbreviate(sql) + ": " + causeText(e), e);
        }
    }

    /**
     * The client's message with its root cause first: "Query request failed (attempt: 1, …)" says nothing of why, the
     * innermost exception ("Connect to http://127.0.0.1:41699 failed: Connection refused") does.
     */
    static String causeText(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = String.valueOf(e.getMessage());
        if (root == e || root.getMessage() == null || top.contains(root.getMessage())) {
            return top;
        }
        return root.getMessage() + " (" + top + ")";
    }

    /** Runs a query and returns its rows as TabSeparated cells (unescaped). */
    public List<String[]> query(String sql) {
        String full = sql + " FORMAT TabSeparated";
        List<String[]> rows = new ArrayList<>();
        try (QueryResponse response = await(client.query(full), sql);
             BufferedReader reader = new BufferedReader(new InputStreamReader(response.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String[] cells = line.split("\t", -1);
                for (int i = 0; i < cells.length; i++) {
                    cells[i] = unescapeTsv(cells[i]);
                }
                rows.add(cells);
            }
        } catch (ClickHouseException e) {
            throw e;
        } catch (Exception e) {
            throw ClickHouseException.of("ClickHouse query failed: " + abbreviate(sql) + ": " + causeText(e), e);
        }
        return rows;
    }

    /** First cell of the first row, or null when there is no row. */
    public String queryValue(String sql) {
        List<String[]> rows = query(sql);
        return rows.isEmpty() ? null : rows.get(0)[0];
    }

    public long queryLong(String sql) {
        String value = queryValue(sql);
        return value == null ? 0 : Long.parseLong(value);
    }

    /**
     * One INSERT of the Native blocks written by {@code writer} (see NativeBlock), into the named columns of {@code table}
     * ({@code db.table}).
     */
    public void insertNative(String table, List<String> columns, DataStreamWriter writer) {
        insertNative(table, columns, writer, Map.of());
    }

    /** As {@link #insertNative(String, List, DataStreamWriter)} with these query settings. */
    public void insertNative(String table, List<String> columns, DataStreamWriter writer, Map<String, String> querySettings) {
        InsertSettings settings = new InsertSettings();
        querySettings.forEach(settings::serverSetting);
        try {
            await(client.insert(table, columns, writer, ClickHouseFormat.Native, settings), "INSERT INTO " + table).close();
        } catch (ClickHouseException e) {
            throw e;
        } catch (Exception e) {
            throw ClickHouseException.of("ClickHouse insert into " + table + " failed: " + causeText(e), e);
        }
    }

    /**
     * Deletes rows by a mutation and waits until the server has applied it: 18.16 knows neither lightweight deletes nor
     * {@code mutations_sync}, so the wait polls {@code system.mutations}.
     *
     * @param predicate a condition built from validated names and literals only
     */
    public void deleteAndWait(String database, String table, String predicate, long timeoutMillis) {
        Identifiers.requirePlainName("database", database);
        Identifiers.requirePlainName("table", table);
        execute("ALTER TABLE " + Identifiers.qualified(database, table) + " DELETE WHERE " + predicate);
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (queryLong("SELECT count() FROM system.mutations WHERE database = '" + database + "' AND table = '" + table
                + "' AND is_done = 0") > 0) {
            if (System.currentTimeMillis() > deadline) {
                throw new ClickHouseException("ClickHouse did not finish deleting rows from " + database + "." + table
                        + " within " + timeoutMillis / 1000 + " s", null);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClickHouseException("interrupted while ClickHouse deleted rows from " + database + "." + table, e);
            }
        }
    }

    /** Server version as reported by {@code SELECT version()} (e.g. 18.16.1, 26.7.2.1), asked once per connection. */
    public synchronized ServerVersion version() {
        if (version == null) {
            version = ServerVersion.parse(queryValue("SELECT version()"));
        }
        return version;
    }

    @Override
    public void close() {
        client.close();
    }

    private <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ClickHouseException.of("interrupted while waiting for ClickHouse: " + abbreviate(what), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw ClickHouseException.of("ClickHouse failed: " + abbreviate(what) + ": " + causeText(cause), cause);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw ClickHouseException.of("ClickHouse did not answer within " + timeoutSeconds + " s: " + abbreviate(what), e);
        }
    }

    private static String abbreviate(String sql) {
        return sql.length() <= 300 ? sql : sql.substring(0, 300) + "…";
    }

    static String unescapeTsv(String cell) {
        if (cell.indexOf('\\') < 0) {
            return cell;
        }
        StringBuilder sb = new StringBuilder(cell.length());
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (c != '\\' || i + 1 == cell.length()) {
                sb.append(c);
                continue;
            }
            char n = cell.charAt(++i);
            switch (n) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case '0' -> sb.append('\0');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'N' -> sb.append("\\N");
                default -> sb.append(n);
            }
        }
        return sb.toString();
    }
}
