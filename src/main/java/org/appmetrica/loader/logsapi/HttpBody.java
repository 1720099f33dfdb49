package org.appmetrica.loader.logsapi;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;

/** An HTTP/1.1 body's framing over the connection's stream: chunked, Content-Length, or until the server closes. */
final class HttpBody extends CountingInputStream {

    private static final int MAX_CHUNK_LINE = 4096;

    private final InputStream in;
    private final HttpGet connection;
    private boolean chunked;
    /** Bytes left in the current chunk or the fixed-length body; -1: until the connection closes. */
    private long left = -1;
    private boolean ended;

    HttpBody(InputStream in, HttpGet connection) {
        super(UNLIMITED);
        this.in = in;
        this.connection = connection;
    }

    InputStream framed(int status, Map<String, String> headers) throws IOException {
        String transfer = headers.get("transfer-encoding");
        String length = headers.get("content-length");
        if (status == 204 || status == 304) {
            ended = true;
        } else if (transfer != null && !transfer.toLowerCase(Locale.ROOT).strip().equals("identity")) {
            if (!transfer.toLowerCase(Locale.ROOT).strip().endsWith("chunked")) {
                throw new IOException("unsupported Transfer-Encoding: " + transfer);
            }
            chunked = true;
            left = 0;
        } else if (length != null) {
            left = contentLength(length);
            ended = left == 0;
        }
        return this;
    }

    /** The Content-Length header as a long (exports of 2 GiB and more); repeated values must agree. */
    static long contentLength(String header) throws IOException {
        long value = -1;
        for (String part : header.split(",")) {
            long v;
            try {
                v = Long.parseLong(part.strip());
            } catch (NumberFormatException e) {
                throw new IOException("a malformed Content-Length in the answer");
            }
            if (v < 0 || value >= 0 && v != value) {
                throw new IOException("a malformed Content-Length in the answer");
            }
            value = v;
        }
        return value;
    }

    @Override
    protected int readSome(byte[] b, int off, int len) throws IOException {
        try {
            if (ended || chunked && left == 0 && !nextChunk()) {
                return -1;
            }
            int n = in.read(b, off, left < 0 ? len : (int) Math.min(len, left));
            if (n < 0) {
                if (left >= 0 && chunked) {
                    throw new IOException("the connection closed inside a chunk of the body");
                }
                ended = true;
                return -1;
            }
            if (left >= 0) {
                left -= n;
                if (left == 0 && !chunked) {
                    ended = true;
                } else if (left == 0) {
                    endOfChunk();
                }
            }
            return n;
        } catch (IOException e) {
            if (connection.aborted()) {
                throw new IOException("the download was aborted", e);
            }
            throw e;
        }
    }

    private void endOfChunk() throws IOException {
        if (!HttpGet.line(in, new int[]{MAX_CHUNK_LINE}).isEmpty()) {
            throw new IOException("a malformed chunk in the body");
        }
    }

    /** Reads the next chunk's size; false at the last chunk (whose trailers are read and dropped, bounded). */
    private boolean nextChunk() throws IOException {
        String line = HttpGet.line(in, new int[]{MAX_CHUNK_LINE});
        int semicolon = line.indexOf(';');
        String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).strip();
        if (hex.isEmpty() || hex.length() > 15) {
            throw new IOException("a malformed chunk size in the body");
        }
        try {
            left = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new IOException("a malformed chunk size in the body");
        }
        if (left < 0) {
            throw new IOException("a malformed chunk size in the body");
        }
        if (left == 0) {
            int[] budget = {HttpGet.MAX_HEADER_BYTES};
            while (!HttpGet.line(in, budget).isEmpty()) {
                // trailers: not used
            }
            ended = true;
            return false;
        }
        return true;
    }

    /** Closes the connection: what is left of the body is never read. */
    @Override
    public void close() {
        connection.close();
    }
}
