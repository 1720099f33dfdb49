package org.appmetrica.loader.simulator;

import java.io.IOException;
import java.io.OutputStream;

/** Buffered UTF-8 writer with CSV (RFC 4180) and JSON string escaping, built for the per-row hot path. */
final class TextSink {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final OutputStream out;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private long written;

    TextSink(OutputStream out) {
        this.out = out;
    }

    long written() {
        return written + pos;
    }

    void bytes(byte[] b) throws IOException {
        for (byte x : b) {
            ensure(1);
            buf[pos++] = x;
        }
    }

    void ascii(char c) throws IOException {
        ensure(1);
        buf[pos++] = (byte) c;
    }

    /** Text as UTF-8 without escaping. */
    void text(String s) throws IOException {
        int n = s.length();
        if (!reserve(3 * n)) {
            for (int i = 0; i < n; i++) {
                i = put(s, i);
            }
            return;
        }
        byte[] b = buf;
        int p = pos;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b[p++] = (byte) c;
            } else {
                pos = p;
                i = encode(s, i, c);
                p = pos;
            }
        }
        pos = p;
    }

    /** A CSV cell: quoted (inner quotes doubled) when it contains a comma, a quote, CR or LF. */
    void csv(String s) throws IOException {
        int n = s.length();
        boolean quote = false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                quote = true;
                break;
            }
        }
        if (!quote) {
            text(s);
            return;
        }
        ascii('"');
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) == '"') {
                ascii('"');
            }
            i = put(s, i);
        }
        ascii('"');
    }

    /** A JSON string literal, quotes included. Non-ASCII characters are written as UTF-8. */
    void json(String s) throws IOException {
        int n = s.length();
        if (!reserve(6 * n + 2)) {
            jsonSlow(s);
            return;
        }
        byte[] b = buf;
        int p = pos;
        b[p++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                b[p++] = (byte) c;
                continue;
            }
            pos = p;
            if (c >= 0x80) {
                i = encode(s, i, c);
            } else {
                escape(c);
            }
            p = pos;
        }
        b[p++] = '"';
        pos = p;
    }

    private void jsonSlow(String s) throws IOException {
        ascii('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                i = put(s, i);
                continue;
            }
            ensure(6);
            escape(c);
        }
        ascii('"');
    }

    /** Writes the escape sequence of a quote, backslash or control character (room already ensured). */
    private void escape(char c) {
        buf[pos++] = '\\';
        switch (c) {
            case '"':
                buf[pos++] = '"';
                break;
            case '\\':
                buf[pos++] = '\\';
                break;
            case '\n':
                buf[pos++] = 'n';
                break;
            case '\r':
                buf[pos++] = 'r';
                break;
            case '\t':
                buf[pos++] = 't';
                break;
            case '\b':
                buf[pos++] = 'b';
                break;
            case '\f':
                buf[pos++] = 'f';
                break;
            default:
                buf[pos++] = 'u';
                buf[pos++] = '0';
                buf[pos++] = '0';
                buf[pos++] = (byte) HEX[(c >> 4) & 0xF];
                buf[pos++] = (byte) HEX[c & 0xF];
                break;
        }
    }

    /** Makes room for n bytes; false when n exceeds the buffer (the caller then writes unit by unit). */
    private boolean reserve(int n) throws IOException {
        if (n > buf.length) {
            return false;
        }
        if (pos + n > buf.length) {
            drain();
        }
        return true;
    }

    /** Writes the character at i (a surrogate pair as one code point); returns the index of the last unit used. */
    private int put(String s, int i) throws IOException {
        ensure(4);
        char c = s.charAt(i);
        if (c < 0x80) {
            buf[pos++] = (byte) c;
            return i;
        }
        return encode(s, i, c);
    }

    /** UTF-8 of the non-ASCII unit c at i (room for 4 bytes already ensured); returns the last unit index used. */
    private int encode(String s, int i, char c) {
        if (c < 0x800) {
            buf[pos++] = (byte) (0xC0 | (c >> 6));
            buf[pos++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isSurrogate(c)) {
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(i + 1));
                buf[pos++] = (byte) (0xF0 | (cp >> 18));
                buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buf[pos++] = (byte) (0x80 | (cp & 0x3F));
                return i + 1;
            }
            buf[pos++] = '?';
        } else {
            buf[pos++] = (byte) (0xE0 | (c >> 12));
            buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
            buf[pos++] = (byte) (0x80 | (c & 0x3F));
        }
        return i;
    }

    private void ensure(int n) throws IOException {
        if (pos + n > buf.length) {
            drain();
        }
    }

    private void drain() throws IOException {
        out.write(buf, 0, pos);
        written += pos;
        pos = 0;
    }

    void flush() throws IOException {
        drain();
        out.flush();
    }
}
