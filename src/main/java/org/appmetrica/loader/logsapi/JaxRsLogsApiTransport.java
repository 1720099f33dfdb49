package org.appmetrica.loader.logsapi;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Logs API over the Jakarta REST client (RESTEasy in both standalone and WildFly). Every call has a connect
 * and a read timeout. The token travels only in the {@code Authorization: OAuth} header.
 */
public final class JaxRsLogsApiTransport implements LogsApiTransport {

    private static final int MAX_ERROR_TEXT = 4096;

    private final Client client;
    private final String baseUrl;
    private final String authorization;

    public JaxRsLogsApiTransport(String baseUrl, String token, Duration connectTimeout, Duration readTimeout) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.authorization = "OAuth " + token;
        this.client = ClientBuilder.newBuilder()
                .connectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .build();
    }

    @Override
    public ApiResponse get(ExportRequest request, boolean noCache) throws IOException {
        // Built as a URI so that filter values are never read as URI templates.
        URI uri = URI.create(baseUrl + request.path() + "?" + encode(request.queryParameters()));
        Invocation.Builder call = client.target(uri).request()
                .header("Authorization", authorization)
                .header("User-Agent", "appmetrica-clickhouse-loader");
        if (noCache) {
            call.header("Cache-Control", "no-cache");
        }
        Response response;
        try {
            response = call.get();
        } catch (ProcessingException e) {
            throw new IOException("request to the Logs API failed: " + rootMessage(e), e);
        }
        int status = response.getStatus();
        if (status == 200) {
            try {
                InputStream body = response.readEntity(InputStream.class);
                // Response.getLength() is an int: exports of 2 GiB and more need the header as a long.
                return new ApiResponse(200, null, body, contentLength(response), response.getHeaderString("Content-Encoding"));
            } catch (ProcessingException e) {
                response.close();
                throw new IOException("reading the Logs API answer failed: " + rootMessage(e), e);
            }
        }
        try {
            String text = response.hasEntity() ? response.readEntity(String.class) : "";
            return ApiResponse.text(status, text.length() > MAX_ERROR_TEXT ? text.substring(0, MAX_ERROR_TEXT) : text);
        } catch (ProcessingException e) {
            throw new IOException("reading the Logs API answer failed: " + rootMessage(e), e);
        } finally {
            response.close();
        }
    }

    private static long contentLength(Response response) {
        String header = response.getHeaderString("Content-Length");
        try {
            return header == null ? -1 : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        client.close();
    }

    private static String encode(Map<String, String> query) {
        StringBuilder sb = new StringBuilder();
        query.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return sb.toString();
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }

    @Override
    public String toString() {
        return "JaxRsLogsApiTransport[" + baseUrl + ", token: set]";
    }
}
