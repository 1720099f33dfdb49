package org.appmetrica.loader.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin API and the console page in the standalone {@code console} command, on the JDK's HTTP server: one small
 * dispatcher over {@link AdminService}, with the same paths, bodies and statuses as the WAR's JAX-RS resources
 * ({@link AdminResource}).
 * <p>Authentication: a login form posts to {@code /api/login}, which answers with a session cookie (HttpOnly,
 * SameSite=Strict); scripts may send HTTP Basic credentials instead. Both are checked against the users file
 * ({@link UserStore}, PBKDF2 hashes). The page's static files need no login (they hold no data); every {@code /api}
 * path except login and session does. POSTs must be {@code application/json}, which no other site's page can send.
 */
public final class ConsoleServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("org.appmetrica.loader.progress");
    private static final Logger DEBUG = Logger.getLogger(ConsoleServer.class.getName());
    static final String COOKIE = "appmetrica_console";
    /** The page sends this header; a 401 to it carries no Basic challenge, so the browser shows the page's own login form. */
    static final String PAGE_HEADER = "X-Requested-With";
    private static final long SESSION_MILLIS = TimeUnit.HOURS.toMillis(12);
    private static final long BASIC_CACHE_MILLIS = TimeUnit.MINUTES.toMillis(5);
    private static final int MAX_BODY = 1 << 20;
    private static final Pattern EXECUTION = Pattern.compile("/api/executions/([^/]+)(?:/(stop|restart|abandon))?");
    private static final Pattern SCHEDULE = Pattern.compile("/api/schedules/([^/]+)/cancel");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+(%[\\w.]+)?");
    private static final Pattern PORT = Pattern.compile(":\\d{1,5}");

    private final AdminService service;
    private final UserStore users;
    private final InetSocketAddress address;
    private final SecureRandom random = new SecureRandom();
    private final LoginThrottle throttle = new LoginThrottle(Clock.systemUTC());
    /** Off loopback the session cookie is Secure: it then travels only over TLS (a proxy in front of the console). */
    private final boolean secureCookie;
    private Set<String> hostNames = Set.of("localhost");
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    /** SHA-256 of Basic credentials checked recently: PBKDF2 is slow on purpose, scripts call often. */
    private final Map<String, Session> basicCache = new ConcurrentHashMap<>();
    private HttpServer server;
    private ExecutorService executor;

    private record Session(String user, long expires) {
    }

    public ConsoleServer(AdminService service, UserStore users, String bind, int port) throws IOException {
        this.service = service;
        this.users = users;
        this.address = new InetSocketAddress(InetAddress.getByName(bind), port);
        this.secureCookie = !address.getAddress().isLoopbackAddress();
    }

    /**
     * The names besides IP addresses and {@code localhost} that browsers may use to reach the console (its Host
     * header). Any other name is refused, so that a web page cannot reach the console through DNS rebinding.
     */
    public ConsoleServer hostNames(Collection<String> names) {
        Set<String> all = new HashSet<>(Set.of("localhost"));
        names.forEach(n -> all.add(n.trim().toLowerCase(Locale.ROOT)));
        this.hostNames = Set.copyOf(all);
        return this;
    }

    public ConsoleServer start() throws IOException {
        server = HttpServer.create(address, 50);
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "console-http-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(loader); // JBeret reads its configuration and job XML through it
            return t;
        };
        executor = Executors.newFixedThreadPool(8, threads);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** http://host:port/ as a browser would open it. */
    public String url() {
        InetAddress a = server.getAddress().getAddress();
        String host = a.isAnyLocalAddress() ? "127.0.0.1" : a.getHostAddress().contains(":") ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
        return "http://" + host + ":" + port() + "/";
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getRawPath();
            String method = x.getRequestMethod();
            try {
                checkHost(x);
                route(x, method, path);
            } catch (AdminException e) {
                json(x, e.status(), e.view());
            } catch (RuntimeException e) {
                DEBUG.log(Level.WARNING, method + " " + path + " failed", e);
                json(x, 500, new Views.ErrorView(500, "internal-error", SecretMask.text(String.valueOf(e.getMessage()))));
            }
        }
    }

    private void route(HttpExchange x, String method, String path) throws IOException {
        if (path.equals("/") || path.equals("/console")) {
            x.getResponseHeaders().set("Location", "/console/");
            send(x, 302, "text/plain; charset=utf-8", new byte[0]);
            return;
        }
        if (path.startsWith("/console/")) {
            requireMethod(method, "GET", "HEAD");
            ConsoleFiles.File f = ConsoleFiles.get(path.substring("/console/".length()));
            if (f == null) {
                throw AdminException.notFound("no such file: " + path);
            }
            send(x, 200, f.contentType(), method.equals("HEAD") ? new byte[0] : f.content());
            return;
        }
        if (!path.startsWith("/api/")) {
            throw AdminException.notFound("nothing at " + path + ": the console is at /console/, the API under /api/");
        }
        switch (path) {
            case "/api/login" -> {
                requireMethod(method, "POST");
                login(x);
                return;
            }
            case "/api/logout" -> {
                requireMethod(method, "POST");
                Session s = session(x);
                String token = cookie(x);
                if (token != null) {
                    sessions.remove(token);
                }
                x.getResponseHeaders().add("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
                json(x, 200, new Views.SessionView(s == null ? null : s.user(), "form"));
                return;
            }
            default -> {
            }
        }
        String user = authenticate(x);
        if (path.equals("/api/session")) {
            requireMethod(method, "GET");
            json(x, 200, new Views.SessionView(user, "form"));
            return;
        }
        dispatch(x, method, path, user);
    }

    private void dispatch(HttpExchange x, String method, String path, String user) throws IOException {
        switch (path) {
            case "/api/jobs" -> {
                requireMethod(method, "GET");
                json(x, 200, service.jobs());
                return;
            }
            case "/api/catalog" -> {
                requireMethod(method, "GET");
                json(x, 200, service.catalog());
                return;
            }
            case "/api/executions" -> {
                requireMethod(method, "GET", "POST");
                if (method.equals("GET")) {
                    json(x, 200, service.executions(Requests.limit(query(x).get("limit"))));
                } else {
                    JsonNode body = body(x);
                    Views.ExecutionView e = service.start(AdminJson.strings(body, "parameters"));
                    LOG.info("console: " + user + " started execution " + e.id());
                    json(x, 201, e);
                }
                return;
            }
            case "/api/schedules" -> {
                requireMethod(method, "GET", "POST");
                if (method.equals("GET")) {
                    json(x, 200, service.schedules());
                } else {
                    JsonNode body = body(x);
                    Views.ScheduleView s = service.schedule(AdminJson.strings(body, "definition"));
                    LOG.info("console: " + user + " added regular load " + s.name());
                    json(x, 201, s);
                }
                return;
            }
            default -> {
            }
        }
        Matcher m = EXECUTION.matcher(path);
        if (m.matches()) {
            long id = Requests.executionId(m.group(1));
            String action = m.group(2);
            if (action == null) {
                requireMethod(method, "GET");
                json(x, 200, service.execution(id));
                return;
            }
            requireMethod(method, "POST");
            JsonNode body = body(x);
            switch (action) {
                case "stop" -> {
                    Views.ExecutionView e = service.stop(id);
                    LOG.info("console: " + user + " asked execution " + id + " to stop");
                    json(x, 202, e);
                }
                case "restart" -> {
                    Views.ExecutionView e = service.restart(id, AdminJson.strings(body, "parameters"));
                    LOG.info("console: " + user + " restarted execution " + id + " as execution " + e.id());
                    json(x, 201, e);
                }
                default -> {
                    Views.ExecutionView e = service.abandon(id);
                    LOG.info("console: " + user + " abandoned execution " + id);
                    json(x, 200, e);
                }
            }
            return;
        }
        m = SCHEDULE.matcher(path);
        if (m.matches()) {
            requireMethod(method, "POST");
            body(x);
            String name = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
            Views.ScheduleView s = service.cancelSchedule(name);
            LOG.info("console: " + user + " cancelled regular load " + name);
            json(x, 200, s);
            return;
        }
        throw AdminException.notFound("no API at " + path);
    }

    // ---------------------------------------------------------------- authentication

    private void login(HttpExchange x) throws IOException {
        JsonNode body = body(x);
        String user = body.path("user").asText("");
        char[] password = body.path("password").asText("").toCharArray();
        try {
            if (user.isEmpty() || !passwordMatches(x, user, password)) {
                LOG.info("console: failed login for user '" + user.replaceAll("[^\\w.@-]", "?") + "' from " + x.getRemoteAddress().getAddress().getHostAddress());
                throw new AdminException(401, "unauthorized", "wrong user or password");
            }
        } finally {
            PasswordHash.wipe(password);
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(token, new Session(user, System.currentTimeMillis() + SESSION_MILLIS));
        sessions.entrySet().removeIf(e -> e.getValue().expires() < System.currentTimeMillis());
        x.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + SESSION_MILLIS / 1000
                + (secureCookie ? "; Secure" : ""));
        json(x, 200, new Views.SessionView(user, "form"));
    }

    /** The password check behind the throttle: 429 (with Retry-After) while the user or the address must wait. */
    private boolean passwordMatches(HttpExchange x, String user, char[] password) {
        String from = x.getRemoteAddress().getAddress().getHostAddress();
        Optional<Duration> wait = throttle.retryAfter(user, from);
        if (wait.isPresent()) {
            long seconds = Math.max(1, wait.get().toSeconds() + (wait.get().toMillisPart() > 0 ? 1 : 0));
            x.getResponseHeaders().set("Retry-After", Long.toString(seconds));
            throw new AdminException(429, "too-many-attempts", "too many failed logins for this user or from this address: try again in "
                    + seconds + " s");
        }
        try {
            if (!throttle.hashingSlot()) {
                x.getResponseHeaders().set("Retry-After", "1");
                throw new AdminException(429, "busy", "too many logins at once: try again in a second");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException(503, "unavailable", "the console is stopping");
        }
        boolean ok;
        try {
            ok = users.check(user, password);
        } finally {
            throttle.releaseHashingSlot();
        }
        if (ok) {
            throttle.succeeded(user, from);
        } else {
            throttle.failed(user, from);
        }
        return ok;
    }

    /** The Host header names this console: an IP address, localhost or a configured name; missing only outside browsers. */
    private void checkHost(HttpExchange x) {
        String host = x.getRequestHeaders().getFirst("Host");
        if (host == null || hostAllowed(host, hostNames)) {
            return;
        }
        throw new AdminException(403, "host-not-allowed", "this console does not answer to the name in the Host header; "
                + "start it with --host-name NAME to allow a name");
    }

    static boolean hostAllowed(String hostHeader, Set<String> names) {
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 && IPV6.matcher(h.substring(1, end)).matches() && (end == h.length() - 1 || PORT.matcher(h.substring(end + 1)).matches());
        }
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        if (colon >= 0 && !PORT.matcher(h.substring(colon)).matches()) {
            return false;
        }
        return IPV4.matcher(name).matches() || names.contains(name);
    }

    /** The user of the session cookie or of valid Basic credentials; otherwise 401. */
    private String authenticate(HttpExchange x) {
        Session s = session(x);
        if (s != null) {
            return s.user();
        }
        String authorization = x.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String key = sha256(authorization);
            Session cached = basicCache.get(key);
            if (cached != null && cached.expires() > System.currentTimeMillis()) {
                return cached.user();
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                decoded = "";
            }
            int colon = decoded.indexOf(':');
            if (colon > 0) {
                String user = decoded.substring(0, colon);
                char[] password = decoded.substring(colon + 1).toCharArray();
                try {
                    if (passwordMatches(x, user, password)) {
                        basicCache.entrySet().removeIf(e -> e.getValue().expires() < System.currentTimeMillis());
                        basicCache.put(key, new Session(user, System.currentTimeMillis() + BASIC_CACHE_MILLIS));
                        return user;
                    }
                } finally {
                    PasswordHash.wipe(password);
                }
            }
        }
        if (x.getRequestHeaders().getFirst(PAGE_HEADER) == null) {
            x.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"appmetrica-loader console\", charset=\"UTF-8\"");
        }
        throw new AdminException(401, "unauthorized", "log in first (the console's login form, or HTTP Basic with a user of the --users file)");
    }

    private Session session(HttpExchange x) {
        String token = cookie(x);
        if (token == null) {
            return null;
        }
        Session s = sessions.get(token);
        if (s == null || s.expires() < System.currentTimeMillis()) {
            sessions.remove(token);
            return null;
        }
        return s;
    }

    private static String cookie(HttpExchange x) {
        for (String header : x.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (String part : header.split(";")) {
                String p = part.trim();
                if (p.startsWith(COOKIE + "=")) {
                    String v = p.substring(COOKIE.length() + 1);
                    return v.isEmpty() ? null : v;
                }
            }
        }
        return null;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- request and response

    private static void requireMethod(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) {
                return;
            }
        }
        throw new AdminException(405, "method-not-allowed", method + " is not allowed here: use " + String.join(" or ", allowed));
    }

    private static JsonNode body(HttpExchange x) throws IOException {
        byte[] bytes;
        try (InputStream in = x.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw new AdminException(413, "too-large", "the request body is larger than 1 MB");
        }
        return AdminJson.body(x.getRequestHeaders().getFirst("Content-Type"), new String(bytes, StandardCharsets.UTF_8));
    }

    private static Map<String, String> query(HttpExchange x) {
        Map<String, String> q = new HashMap<>();
        String raw = x.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                q.put(k, v);
            }
        }
        return q;
    }

    private static void json(HttpExchange x, int status, Object value) throws IOException {
        send(x, status, "application/json; charset=utf-8", AdminJson.write(value).getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange x, int status, String contentType, byte[] body) throws IOException {
        ConsoleFiles.SECURITY_HEADERS.forEach((k, v) -> x.getResponseHeaders().set(k, v));
        x.getResponseHeaders().set("Content-Type", contentType);
        boolean empty = body.length == 0 || x.getRequestMethod().equals("HEAD");
        x.sendResponseHeaders(status, empty ? -1 : body.length);
        if (!empty) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
