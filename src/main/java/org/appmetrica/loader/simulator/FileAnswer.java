package org.appmetrica.loader.simulator;

import com.sun.net.httpserver.HttpExchange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;

/**
 * A 200 answer with a prepared export: the plain file, or its gzip copy for a client that accepts gzip (with
 * {@code Content-Encoding: gzip}), paced to the link's bandwidth, cut short when a fault is due.
 */
final class FileAnswer extends Answer {

    private final Rendered file;
    private final String contentType;
    private final boolean gzip;
    private final Faults faults;
    private final Bandwidth link;

    FileAnswer(Rendered file, String contentType, boolean gzip, Faults faults, Bandwidth link) {
        super(200);
        this.file = file;
        this.contentType = contentType;
        this.gzip = gzip;
        this.faults = faults;
        this.link = link;
    }

    @Override
    void send(HttpExchange ex, UnaryOperator<String> redact) throws IOException {
        Faults.Cut cut = faults.takeCut(file.length());
        if (gzip && cut.truncateAt() >= 0) {
            sendTruncatedGzip(ex, redact, cut.truncateAt());
            return;
        }
        Path path = gzip ? file.gzipFile() : file.file();
        long length = gzip ? file.gzipLength() : file.length();
        InputStream in;
        try {
            in = Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            // the export was re-prepared between the decision and the download
            Answer.text(503, "Service unavailable: repeat the request.").send(ex, redact);
            return;
        }
        try (in) {
            ex.getResponseHeaders().set("Content-Type", contentType);
            if (gzip) {
                ex.getResponseHeaders().set("Content-Encoding", "gzip");
            }
            if (cut.dropAt() >= 0) {
                ex.sendResponseHeaders(200, length);
                OutputStream out = ex.getResponseBody();
                copy(in, out, gzip ? Math.min(cut.dropAt(), length - 1) : cut.dropAt());
                out.flush();
                ex.close(); // fewer bytes than Content-Length: the server aborts the connection
                return;
            }
            long sent = cut.truncateAt() >= 0 ? cut.truncateAt() : length;
            ex.sendResponseHeaders(200, sent == 0 ? -1 : sent);
            try (OutputStream out = link == null ? ex.getResponseBody() : link.limit(ex.getResponseBody())) {
                copy(in, out, sent);
            }
        }
    }

    /** A truncation compresses fewer rows whole (a test fault on small files): a valid gzip of a cut-short file. */
    private void sendTruncatedGzip(HttpExchange ex, UnaryOperator<String> redact, long truncateAt) throws IOException {
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(file.file()); OutputStream z = new GZIPOutputStream(whole)) {
            copy(in, z, truncateAt);
        } catch (NoSuchFileException e) {
            Answer.text(503, "Service unavailable: repeat the request.").send(ex, redact);
            return;
        }
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Content-Encoding", "gzip");
        ex.sendResponseHeaders(200, whole.size());
        try (OutputStream out = link == null ? ex.getResponseBody() : link.limit(ex.getResponseBody())) {
            whole.writeTo(out);
        }
    }

    private static void copy(InputStream in, OutputStream out, long bytes) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = bytes;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }
}
