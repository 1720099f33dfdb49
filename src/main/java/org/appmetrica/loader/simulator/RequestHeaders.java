package org.appmetrica.loader.simulator;

import java.util.Locale;

/** The request headers the export protocol reads: {@code Cache-Control} and {@code Accept-Encoding}. */
final class RequestHeaders {

    private RequestHeaders() {
    }

    record CacheControl(boolean noCache, long maxAgeSeconds) {
        static CacheControl parse(String header) {
            boolean noCache = false;
            long maxAge = -1;
            if (header != null) {
                for (String d : header.split(",")) {
                    String directive = d.trim().toLowerCase(Locale.ROOT);
                    if (directive.equals("no-cache") || directive.equals("no-store")) {
                        noCache = true;
                    } else if (directive.startsWith("max-age=")) {
                        try {
                            maxAge = Long.parseLong(directive.substring(8).trim());
                        } catch (NumberFormatException e) {
                            // ignored, as HTTP caches do
                        }
                    }
                }
            }
            return new CacheControl(noCache, maxAge);
        }
    }

    /** True when gzip is acceptable (named, and not with q=0). */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] p = part.trim().split(";");
            if (p[0].trim().equalsIgnoreCase("gzip")) {
                for (int i = 1; i < p.length; i++) {
                    String param = p[i].trim().replace(" ", "");
                    if (param.equals("q=0") || param.matches("q=0\\.0*")) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }
}
