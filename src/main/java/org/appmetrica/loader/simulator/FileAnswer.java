package org.appmetrica.loader.simulator;

import com.sun.net.httpserver.HttpExchange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.function.UnaryOperator;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A 200 answer with a prepared export file, gzip-compressed for a client that accepts gzip, paced to the link's
 * bandwidth, cut short when a fault is due.
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
        long dropAt = cut.dropAt();
        long truncateAt = cut.truncateAt();
        InputStream in;
        try {
            in = Files.newInputStream(file.file());
        } catch (NoSuchFileException e) {
            // the export was re-prepared between the decision and the download
            Answer.text(503, "Service unavailable: repeat the request.").send(ex, redact);
            return;
        }
        try (in) {
            ex.getResponseHeaders().set("Content-Type", contentType);
            if (gzip) {
                sendGzip(ex, in, link, dropAt, truncateAt);
                return;
            }
            if (dropAt >= 0) {
                ex.sendResponseHeaders(200, file.length());
                OutputStream out = ex.getResponseBody();
                copy(in, out, dropAt);
                out.flush();
                ex.close(); // fewer bytes than Content-Length: the server aborts the connection
                return;
            }
            long length = truncateAt >= 0 ? truncateAt : file.length();
            ex.sendResponseHeaders(200, length == 0 ? -1 : length);
            try (OutputStream out = link == null ? ex.getResponseBody() : link.limit(ex.getResponseBody())) {
                copy(in, out, length);
            }
        }
    }

    /**
     * Compressed while it is sent, in chunks (no Content-Length), at the fastest level so that a bandwidth limit, not
     * the simulator's CPU, sets the pace. A truncation compresses fewer rows whole. A drop (a test fault, small files)
     * compresses it all first, to announce its length and then break off inside it, as the plain answer does.
     */
    private static void sendGzip(HttpExchange ex, InputStream in, Bandwidth link, long dropAt, long truncateAt)
            throws IOException {
        ex.getResponseHeaders().set("Content-Encoding", "gzip");
        if (dropAt >= 0) {
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            try (OutputStream z = fastGzip(whole)) {
                in.transferTo(z);
            }
            ex.sendResponseHeaders(200, whole.size());
            OutputStream out = ex.getResponseBody();
            out.write(whole.toByteArray(), 0, (int) Math.min(dropAt, whole.size() - 1L));
            out.flush();
            ex.close(); // fewer bytes than Content-Length: the server aborts the connection
            return;
        }
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = fastGzip(link == null ? ex.getResponseBody() : link.limit(ex.getResponseBody()))) {
            copy(in, out, truncateAt >= 0 ? truncateAt : Long.MAX_VALUE);
        }
    }

    private static GZIPOutputStream fastGzip(OutputStream out) throws IOException {
        return new GZIPOutputStream(out, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        };
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
