package org.appmetrica.loader.logsapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The applications a token can read, from the management API ({@code GET /management/v1/applications}, same host and
 * {@code Authorization: OAuth} header as the Logs API): what the console's application picker lists.
 */
public final class ApplicationsList {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_TEXT = 500;
    /** The list of a token's applications: far above any real one. */
    static final int MAX_BODY = 8 << 20;

    /** One application: its id is the Logs API's application_id. */
    public record Application(long id, String name) {
    }

    /** The management API answered other than 200 (401/403: the token is refused). */
    public static final class Refused extends IOException {
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private ApplicationsList() {
    }

    /**
     * The whole call (connect, headers, body) ends within {@code timeout}, and reads at most {@link #MAX_BODY} bytes: a
     * server that answers forever or never costs the console's worker thread no more than that.
     */
    public static List<Application> fetch(String baseUrl, String token, Duration timeout) throws IOException {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        URI uri;
        try {
            uri = URI.create(base + "/management/v1/applications");
        } catch (IllegalArgumentException e) {
            throw new IOException("request to the management API failed: " + e.getMessage(), e);
        }
        HttpGet http = new HttpGet();
        CompletableFuture<Void> deadline = CompletableFuture.runAsync(http::abort,
                CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS));
        try {
            http.send(uri, Map.of("Authorization", "OAuth " + token, "User-Agent", "appmetrica-clickhouse-loader",
                    "Accept-Encoding", "identity"), timeout, timeout);
            byte[] body = http.bodyUpTo(http.status() == 200 ? MAX_BODY + 1 : MAX_ERROR_TEXT);
            String text = new String(body, StandardCharsets.UTF_8);
            if (http.status() != 200) {
                throw new Refused(http.status(), "the management API answered " + http.status() + ": " + text);
            }
            if (body.length > MAX_BODY) {
                throw new IOException("the management API's answer is larger than " + (MAX_BODY >> 20) + " MB");
            }
            return parse(text);
        } catch (Refused e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("request to the management API failed" + (http.aborted() ? " (no complete answer within "
                    + timeout.toSeconds() + " s)" : "") + ": " + e.getMessage(), e);
        } finally {
            deadline.cancel(false);
            http.close();
        }
    }

    /** The management API's status for one application ({@code 200}: the token reads it), with the same client. */
    public static int status(String baseUrl, String token, long applicationId, Duration timeout) throws IOException {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        HttpGet http = new HttpGet();
        CompletableFuture<Void> deadline = CompletableFuture.runAsync(http::abort,
                CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS));
        try {
            http.send(URI.create(base + "/management/v1/application/" + applicationId), Map.of("Authorization", "OAuth " + token,
                    "User-Agent", "appmetrica-clickhouse-loader", "Accept-Encoding", "identity"), timeout, timeout);
            http.bodyUpTo(MAX_ERROR_TEXT);
            return http.status();
        } finally {
            deadline.cancel(false);
            http.close();
        }
    }

    static List<Application> parse(String body) throws IOException {
        JsonNode apps = JSON.readTree(body).path("applications");
        if (!apps.isArray()) {
            throw new IOException("the management API's answer has no applications list");
        }
        List<Application> list = new ArrayList<>();
        for (JsonNode a : apps) {
            if (a.path("id").canConvertToLong()) {
                list.add(new Application(a.get("id").asLong(), a.path("name").asText("")));
            }
        }
        return list;
    }
}
