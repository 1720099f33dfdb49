package org.appmetrica.loader.logsapi;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 GET on a socket of its own, every read bounded: the status line and headers together at most
 * {@link #MAX_HEADER_BYTES}, each socket read at most the idle timeout, and {@link #abort()} from any thread closes
 * the socket, which ends a read blocked in it. The body is never drained: closing it closes the connection.
 * <p>Written on a socket rather than a library client because the JDK's and RESTEasy's clients drain a body on close
 * under a lock that a blocked read holds, so a stop could not end a download from a server that keeps sending.
 */
public final class HttpGet implements AutoCloseable {

    /** The status line and all headers. */
    public static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_HEADERS = 256;

    private final Socket plain = new Socket();
    private volatile Socket socket = plain;
    private volatile boolean aborted;
    private int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private InputStream body;

    /** Sends the request and reads the status line and headers; the body is then {@link #body()}. */
    public HttpGet send(URI uri, Map<String, String> requestHeaders, Duration connectTimeout, Duration idleTimeout) throws IOException {
        String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IOException("not an http or https URL: " + uri.getScheme() + "://" + uri.getHost());
        }
        boolean tls = scheme.equals("https");
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        int port = uri.getPort() < 0 ? (tls ? 443 : 80) : uri.getPort();
        try {
            plain.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            plain.setSoTimeout((int) Math.min(Integer.MAX_VALUE, idleTimeout.toMillis()));
            if (tls) {
                SSLSocket ssl = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(plain, host, port, true);
                SSLParameters parameters = ssl.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
                ssl.setSSLParameters(parameters);
                socket = ssl;
                ssl.startHandshake();
            }
            StringBuilder request = new StringBuilder("GET ").append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                    .append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(uri.getHost()).append(uri.getPort() < 0 ? "" : ":" + port).append("\r\n");
            requestHeaders.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            request.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            readHead(in);
            body = new HttpBody(in, this).framed(status, headers);
            return this;
        } catch (IOException | RuntimeException e) {
            boolean wasAborted = aborted;
            close();
            if (wasAborted) {
                throw new IOException("the request was aborted: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private void readHead(InputStream in) throws IOException {
        int[] budget = {MAX_HEADER_BYTES};
        do { // 1xx answers come before the real one
            headers.clear();
            String statusLine = line(in, budget);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
                throw new IOException("not an HTTP/1.x answer: " + (statusLine.length() > 80 ? statusLine.substring(0, 80) + "…" : statusLine));
            }
            status = Integer.parseInt(parts[1]);
            String previous = null;
            for (String line = line(in, budget); !line.isEmpty(); line = line(in, budget)) {
                if (headers.size() >= MAX_HEADERS) {
                    throw new HeaderTooLargeException("the answer has more than " + MAX_HEADERS + " headers");
                }
                int colon = line.indexOf(':');
                if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && previous != null) {
                    headers.merge(previous, line.strip(), (a, b) -> a + " " + b); // an obsolete folded line
                } else if (colon > 0) {
                    previous = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                    headers.merge(previous, line.substring(colon + 1).strip(), (a, b) -> a + ", " + b);
                } else {
                    throw new IOException("a malformed header line in the answer");
                }
            }
        } while (status >= 100 && status < 200);
    }

    /** One line (CRLF or LF), charged to the remaining header budget. */
    static String line(InputStream in, int[] budget) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed inside the answer's headers");
            }
            if (--budget[0] < 0) {
                throw new HeaderTooLargeException("the answer's headers are larger than " + MAX_HEADER_BYTES / 1024 + " KB");
            }
            if (b == '\n') {
                int end = sb.length();
                return end > 0 && sb.charAt(end - 1) == '\r' ? sb.substring(0, end - 1) : sb.toString();
            }
            sb.append((char) b); // ISO-8859-1, as HTTP headers are
        }
    }

    public int status() {
        return status;
    }

    /** A header's value (names are case-insensitive; repeated headers joined with ", "), or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The body's bytes (chunked, Content-Length or until the server closes); closing it closes the connection. */
    public InputStream body() {
        return body;
    }

    /** Reads at most {@code max} bytes of the body and closes the connection, discarding the rest unread. */
    public byte[] bodyUpTo(int max) throws IOException {
        try {
            return body.readNBytes(max);
        } finally {
            close();
        }
    }

    /** Closes the connection from any thread: a read blocked in it fails at once. */
    public void abort() {
        aborted = true;
        close();
    }

    public boolean aborted() {
        return aborted;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing; nothing to keep
        }
        try {
            plain.close();
        } catch (IOException e) {
            // as above
        }
    }

    /** Headers beyond {@link #MAX_HEADER_BYTES} or {@link #MAX_HEADERS}. */
    public static final class HeaderTooLargeException extends IOException {
        HeaderTooLargeException(String message) {
            super(message);
        }
    }
}
