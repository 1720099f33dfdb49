package org.appmetrica.loader.logsapi;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Logs API over {@link HttpGet}: a connect timeout, an idle-read timeout on every read (nothing received for that long
 * fails the request, which the downloader retries), headers of at most 64 KB, other bodies than an export's read up to
 * {@link #MAX_TEXT} and the rest discarded with the connection, and an export of at most {@code maxExportBytes}.
 * The token travels only in the {@code Authorization: OAuth} header.
 */
public final class HttpLogsApiTransport implements LogsApiTransport {

    /** What is read of a 202 or error answer's body (it is logged, and kept in the step's report): the rest is never read. */
    static final int MAX_TEXT = 4096;

    private final String baseUrl;
    private final String authorization;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final TransferSettings transfer;
    private volatile HttpGet current;

    public HttpLogsApiTransport(String baseUrl, String token, Duration connectTimeout, Duration readTimeout) {
        this(baseUrl, token, connectTimeout, readTimeout, new TransferSettings(TransferSettings.DEFAULT_MAX_EXPORT_BYTES, false));
    }

    public HttpLogsApiTransport(String baseUrl, String token, Duration connectTimeout, Duration readTimeout, TransferSettings transfer) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.authorization = "OAuth " + token;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.transfer = transfer;
    }

    @Override
    public ApiResponse get(ExportRequest request, boolean noCache) throws IOException {
        URI uri;
        try {
            uri = URI.create(baseUrl + request.path() + "?" + encode(request.queryParameters()));
        } catch (IllegalArgumentException e) {
            throw new IOException("not a valid Logs API URL: " + e.getMessage(), e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", authorization);
        headers.put("User-Agent", "appmetrica-clickhouse-loader");
        headers.put("Accept-Encoding", transfer.gzip() ? "gzip" : "identity");
        if (noCache) {
            headers.put("Cache-Control", "no-cache");
        }
        HttpGet http = new HttpGet();
        current = http;
        try {
            http.send(uri, headers, connectTimeout, readTimeout);
        } catch (IOException e) {
            throw new IOException("request to the Logs API failed: " + e.getMessage(), e);
        }
        int status = http.status();
        if (status != 200) {
            byte[] text = http.bodyUpTo(MAX_TEXT); // the rest is discarded with the connection, never read
            return ApiResponse.text(status, new String(text, StandardCharsets.UTF_8));
        }
        long length = http.header("Content-Length") == null ? -1 : HttpBody.contentLength(http.header("Content-Length"));
        if (length > transfer.maxExportBytes()) {
            http.close();
            throw tooLarge(request, length + " bytes announced");
        }
        InputStream body = new Bounded(http.body(), request);
        return new ApiResponse(200, null, body, length, http.header("Content-Encoding"));
    }

    private ExportTooLargeException tooLarge(ExportRequest request, String what) {
        return new ExportTooLargeException(request.describe() + " is larger than maxExportBytes=" + transfer.maxExportBytes()
                + " (" + what + "); raise maxExportBytes if the export is genuine");
    }

    /** Ends a read blocked in the current request (a stop): it fails at once. */
    @Override
    public void abort() {
        HttpGet http = current;
        if (http != null) {
            http.abort();
        }
    }

    @Override
    public void close() {
        HttpGet http = current;
        if (http != null) {
            http.close();
        }
    }

    private static String encode(Map<String, String> query) {
        StringBuilder sb = new StringBuilder();
        query.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return sb.toString();
    }

    @Override
    public String toString() {
        return "HttpLogsApiTransport[" + baseUrl + ", token: set]";
    }

    /** The export's body, failing once more than maxExportBytes arrived. */
    private final class Bounded extends CountingInputStream {
        private final InputStream in;
        private final ExportRequest request;

        Bounded(InputStream in, ExportRequest request) {
            super(transfer.maxExportBytes());
            this.in = in;
            this.request = request;
        }

        @Override
        protected int readSome(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }

        @Override
        protected RuntimeException overLimit(long limit) throws IOException {
            in.close();
            return tooLarge(request, "more arrived");
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
