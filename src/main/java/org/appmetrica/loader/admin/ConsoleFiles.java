package org.appmetrica.loader.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The console page: static files on the class path under {@code console/} (no build step), served as they are by the
 * standalone console and by the WAR.
 */
public final class ConsoleFiles {

    /** The files there are, with their media types. */
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8");

    public record File(String name, String contentType, byte[] content) {
    }

    private ConsoleFiles() {
    }

    /** The file for a path below /console/ ("" is index.html), or null if there is none. */
    public static File get(String name) {
        String n = name == null || name.isEmpty() ? "index.html" : name;
        String type = FILES.get(n);
        if (type == null) {
            return null;
        }
        try (InputStream in = ConsoleFiles.class.getResourceAsStream("/console/" + n)) {
            return in == null ? null : new File(n, type, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Headers every console file and API answer carries: no caching of data, no framing, no foreign scripts. */
    public static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Cache-Control", "no-store",
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "no-referrer",
            "Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                    + "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
}
