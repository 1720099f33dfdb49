package org.appmetrica.loader.logsapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The applications a token can read, from the management API ({@code GET /management/v1/applications}, same host and
 * {@code Authorization: OAuth} header as the Logs API): what the console's application picker lists.
 */
public final class ApplicationsList {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_TEXT = 500;

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

    public static List<Application> fetch(String baseUrl, String token, Duration timeout) throws IOException {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        Client client = ClientBuilder.newBuilder().connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).build();
        try (Response response = client.target(URI.create(base + "/management/v1/applications")).request()
                .header("Authorization", "OAuth " + token).header("User-Agent", "appmetrica-clickhouse-loader").get()) {
            String body = response.hasEntity() ? response.readEntity(String.class) : "";
            if (response.getStatus() != 200) {
                throw new Refused(response.getStatus(), "the management API answered " + response.getStatus() + ": "
                        + (body.length() > MAX_ERROR_TEXT ? body.substring(0, MAX_ERROR_TEXT) : body));
            }
            return parse(body);
        } catch (ProcessingException | IllegalArgumentException e) {
            throw new IOException("request to the management API failed: " + e.getMessage(), e);
        } finally {
            client.close();
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
