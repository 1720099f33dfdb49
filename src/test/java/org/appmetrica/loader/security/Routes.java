package org.appmetrica.loader.security;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import org.appmetrica.loader.admin.Public;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Every route of the admin application, found by reflection (@Path on classes and methods, each HTTP method
 * annotation) plus the page's static files, and the many ways a path can be spelled so that the string differs while
 * the matched resource may not: what the login rule is tested against, standalone and in the WAR.
 */
public final class Routes {

    /** One HTTP method on one path below the application (no leading slash, path parameters filled in). */
    public record Route(String method, String path, boolean isPublic) {
        @Override
        public String toString() {
            return method + " /" + path + (isPublic ? " (public)" : "");
        }
    }

    private Routes() {
    }

    /** The routes the resource classes declare; classes without @Path (filters, mappers) add none. */
    public static List<Route> of(Collection<Class<?>> classes) {
        List<Route> routes = new ArrayList<>();
        for (Class<?> c : classes) {
            Path base = c.getAnnotation(Path.class);
            if (base == null) {
                continue;
            }
            for (Method m : c.getMethods()) {
                String http = httpMethod(m);
                if (http == null) {
                    continue;
                }
                Path sub = m.getAnnotation(Path.class);
                String path = join(base.value(), sub == null ? "" : sub.value()).replaceAll("\\{[^}]*}", "1");
                boolean isPublic = m.isAnnotationPresent(Public.class) || c.isAnnotationPresent(Public.class);
                routes.add(new Route(http, path, isPublic));
                if (http.equals("GET")) {
                    routes.add(new Route("HEAD", path, isPublic));
                }
            }
        }
        return routes;
    }

    /** GET console/NAME for every file of the page (src/main/resources/console), as static routes. */
    public static List<Route> staticFiles(boolean isPublic) throws IOException {
        try (Stream<java.nio.file.Path> files = Files.list(Paths.get("src/main/resources/console"))) {
            return files.map(f -> new Route("GET", "console/" + f.getFileName(), isPublic)).sorted(java.util.Comparator.comparing(Route::path)).toList();
        }
    }

    /**
     * The same path spelled many ways: matrix parameters on any segment, a trailing slash, doubled slashes,
     * percent-encoding, upper case, dot segments.
     */
    public static Set<String> spellings(String path) {
        Set<String> all = new LinkedHashSet<>();
        String[] s = path.split("/", -1);
        all.add(path);
        all.add(path + "/");
        all.add(path + ";x");
        all.add("/" + path);
        all.add(path.replace("/", "//"));
        all.add(path.toUpperCase(Locale.ROOT));
        if (!path.isEmpty()) {
            all.add(Character.toUpperCase(path.charAt(0)) + path.substring(1));
        }
        all.add("./" + path);
        all.add("x/../" + path);
        all.add("%2e/" + path);
        all.add("x/%2e%2e/" + path);
        all.add(encodeAll(path));
        for (int i = 0; i < s.length; i++) {
            all.add(replace(s, i, s[i] + ";x"));
            all.add(replace(s, i, s[i] + ";x=1;y"));
            all.add(replace(s, i, s[i] + "/"));
            all.add(replace(s, i, "./" + s[i]));
            all.add(replace(s, i, "x/../" + s[i]));
            if (!s[i].isEmpty()) {
                all.add(replace(s, i, String.format("%%%02x", (int) s[i].charAt(0)) + s[i].substring(1)));
                all.add(replace(s, i, String.format("%%%02X", (int) s[i].charAt(0)) + s[i].substring(1)));
            }
        }
        all.add(replace(s, 0, s[0] + ";x") + "/");
        return all;
    }

    /** The status line's code of one request, sent as written (no client normalises the path). */
    public static int status(String host, int port, String method, String target, String... headers) throws IOException {
        StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nConnection: close\r\n");
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        boolean body = method.equals("POST") || method.equals("PUT");
        request.append(body ? (typed ? "" : "Content-Type: application/json\r\n") + "Content-Length: 2\r\n\r\n{}" : "\r\n");
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(12);
            String line = new String(head, StandardCharsets.ISO_8859_1);
            if (!line.startsWith("HTTP/1.1 ")) {
                throw new IOException("not an HTTP answer to " + method + " " + target + ": " + line);
            }
            return Integer.parseInt(line.substring(9, 12));
        }
    }

    /**
     * Requests every protected route anonymously in every spelling below {@code prefix} ("/" or "/context/"): the
     * spellings that still reach the resource must answer 401, the others 400, 404 or 405; never a success. Answers
     * the failures, "METHOD target -> status", empty when all held.
     */
    public static List<String> anonymousFailures(String host, int port, String prefix, Collection<Route> routes) throws IOException {
        List<String> failures = new ArrayList<>();
        Set<Integer> refused = Set.of(401, 400, 404, 405);
        for (Route r : routes) {
            if (r.isPublic()) {
                continue;
            }
            int options = status(host, port, "OPTIONS", prefix + r.path());
            if (!refused.contains(options)) { // JAX-RS answers OPTIONS itself, without the resource
                failures.add("OPTIONS " + prefix + r.path() + " -> " + options);
            }
            for (String spelling : spellings(r.path())) {
                int status = status(host, port, r.method(), prefix + spelling);
                boolean plain = spelling.equals(r.path());
                if (plain ? status != 401 : !refused.contains(status)) {
                    failures.add(r.method() + " " + prefix + spelling + " -> " + status);
                }
            }
        }
        return failures;
    }

    /** The public routes, as "METHOD /path", sorted. */
    public static Set<String> publicRoutes(Collection<Route> routes) {
        Set<String> names = new TreeSet<>();
        routes.stream().filter(Route::isPublic).forEach(r -> names.add(r.method() + " /" + r.path()));
        return names;
    }

    private static String httpMethod(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod http = a.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    private static String join(String a, String b) {
        String x = a.replaceAll("^/+|/+$", "");
        String y = b.replaceAll("^/+|/+$", "");
        return x.isEmpty() ? y : y.isEmpty() ? x : x + "/" + y;
    }

    private static String replace(String[] segments, int i, String with) {
        String[] copy = segments.clone();
        copy[i] = with;
        return String.join("/", copy);
    }

    private static String encodeAll(String path) {
        StringBuilder b = new StringBuilder();
        for (char c : path.toCharArray()) {
            b.append(c == '/' ? "/" : String.format("%%%02x", (int) c));
        }
        return b.toString();
    }
}
