package org.appmetrica.loader.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Logs API (and management API) that attacks its client, one way per {@link Mode}: endless bodies, a huge header,
 * an endless CSV field, silence after the headers. Each connection is served by a daemon thread that writes until the
 * client closes the connection; {@link #bytesSent()} and {@link #awaitClosedByClient()} tell what the client did.
 */
final class HostileApi implements AutoCloseable {

    enum Mode {
        /** 500, text/plain, a body that never ends. */
        ENDLESS_ERROR,
        /** 202 with a body that never ends. */
        ENDLESS_202,
        /** 200 with a 50 MB header. */
        HUGE_HEADER,
        /** 200, a valid CSV header, then one quoted field that never ends. */
        ENDLESS_FIELD,
        /** 200 without Content-Type, a line that is not the export's header, then bytes never ending. */
        ENDLESS_UNTYPED,
        /** 200, a first line that never ends. */
        ENDLESS_LINE,
        /** 200, a valid CSV export whose rows never end. */
        ENDLESS_VALID,
        /** 200, a valid CSV header, then nothing more, the connection kept open. */
        DRIP,
        /** 200 in an encoding not asked for (brotli). */
        BROTLI,
        /** The management API's applications list, never ending. */
        ENDLESS_APPLICATIONS
    }

    private static final byte[] FILLER = filler();

    private final ServerSocket server;
    private final Mode mode;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch closedByClient = new CountDownLatch(1);

    HostileApi(Mode mode) throws IOException {
        this.mode = mode;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "hostile-api-accept");
        accept.setDaemon(true);
        accept.start();
    }

    private static byte[] filler() {
        byte[] b = new byte[1 << 16];
        Arrays.fill(b, (byte) 'a');
        return b;
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    long bytesSent() {
        return sent.get();
    }

    int requests() {
        return requests.get();
    }

    /** True once a client closed a connection while this server still had more to send. */
    boolean awaitClosedByClient(java.time.Duration timeout) throws InterruptedException {
        return closedByClient.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "hostile-api-" + mode);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            String head = readHead(socket.getInputStream());
            requests.incrementAndGet();
            OutputStream out = socket.getOutputStream();
            String fields = query(head, "fields");
            String csvHeader = (fields == null ? "event_name" : fields) + "\n";
            switch (mode) {
                case ENDLESS_ERROR -> endless(out, "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\n", "", FILLER);
                case ENDLESS_202 -> endless(out, "HTTP/1.1 202 Accepted\r\nContent-Type: text/plain\r\n\r\n", "", FILLER);
                case HUGE_HEADER -> {
                    write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nX-Padding: ");
                    for (int i = 0; i < 50 * 16; i++) {
                        write(out, FILLER);
                    }
                    write(out, "\r\nContent-Length: " + csvHeader.length() + "\r\n\r\n" + csvHeader);
                }
                case ENDLESS_FIELD -> endless(out, "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\n\r\n", csvHeader + "\"", FILLER);
                case ENDLESS_UNTYPED -> endless(out, "HTTP/1.1 200 OK\r\n\r\n", "not_the_header\n", FILLER);
                case ENDLESS_LINE -> endless(out, "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\n\r\n", "", FILLER);
                case ENDLESS_VALID -> endless(out, "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\n\r\n", csvHeader, rows(fields));
                case DRIP -> {
                    write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\n\r\n" + csvHeader);
                    socket.getInputStream().read(); // silence until the client gives up
                    closedByClient.countDown();
                }
                case BROTLI -> write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Encoding: br\r\nContent-Length: 4\r\n\r\n\u008b\u0003\u0080\u0001");
                case ENDLESS_APPLICATIONS -> endless(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n",
                        "{\"applications\":[", "{\"id\":1,\"name\":\"a\"},".repeat(4096).getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IOException e) {
            closedByClient.countDown(); // the client closed while this server was writing
        }
    }

    /** Rows of as many values as fields asked for. */
    private static byte[] rows(String fields) {
        int width = fields == null ? 1 : fields.split(",").length;
        String row = String.join(",", java.util.Collections.nCopies(width, "x".repeat(1000))) + "\n";
        return row.repeat(65536 / row.length()).getBytes(StandardCharsets.US_ASCII);
    }

    private void endless(OutputStream out, String head, String start, byte[] repeated) throws IOException {
        write(out, head + start);
        while (true) {
            write(out, repeated);
        }
    }

    private void write(OutputStream out, String text) throws IOException {
        write(out, text.getBytes(StandardCharsets.UTF_8));
    }

    private void write(OutputStream out, byte[] bytes) throws IOException {
        out.write(bytes);
        sent.addAndGet(bytes.length);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request ended early");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static String query(String head, String name) {
        String target = head.split(" ", 3)[1];
        int q = target.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String pair : target.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
