package org.appmetrica.loader.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.schema.SourceSpec;
import org.appmetrica.loader.simulator.ExportRequestParser.Rejection;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A local HTTP implementation of the AppMetrica Logs API (docs/logs-api.md §4–§6): exports of every catalogue source as CSV or
 * JSON through the asynchronous 202/200 protocol, the per-application queue limit, parts, filters, gzip, BOM, the
 * management endpoints, fault injection, and a gate for tests ({@link #holdExports(Predicate)}: chosen exports stay
 * queued until released, with a signal when one was requested). Binds 127.0.0.1 only. Prepared exports are rendered once into files
 * under a temporary directory (deleted on {@link #close()}) and streamed from disk, so repeated downloads are
 * byte-identical and large exports do not grow the heap.
 */
public final class LogsApiSimulator implements AutoCloseable {

    static final String EXPORT_PREFIX = "/logs/v1/export/";
    static final String TEXT_ADDED = "Your query is added to the queue.";
    static final String TEXT_MOVED =
            "Your query is moved to the end of the queue due to provided Cache-Control restriction.";
    static final String TEXT_QUEUE_FULL =
            "There are already 3 enqueued queries for given application_id. Wait until they are completed.";
    static final String TEXT_TOO_LARGE = "Too much data. Try to use more parts.";
    static final int MAX_ENQUEUED_PER_APP = 3;
    /** Creation date every simulated application reports through the management API. */
    static final String APP_CREATE_DATE = "2024-01-01";

    private static final String TEXT_PLAIN = "text/plain; charset=utf-8";
    private static final String APPLICATION_JSON = "application/json; charset=utf-8";
    private static final int[] FAULT_STATUSES = {500, 502, 503, 504};

    static {
        // The JDK server writes the headers and the body separately; with Nagle's algorithm on, every small answer
        // then waits for the client's delayed ACK (about 40 ms per request on Linux). Read once by the JDK when
        // its first HttpServer is created; an explicit setting by the application wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final SimulatorConfig config;
    private volatile SimulatedData data;
    private final Object lock = new Object();
    private volatile Bandwidth bandwidth;
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final Map<String, ExportJob> jobs = new HashMap<>();
    private final Random faultRandom;
    private final AtomicLong fileSeq = new AtomicLong();

    // fault injection, guarded by lock
    private int failCount;
    private int failStatus;
    private int dropCount;
    private long dropAfter;
    private int truncateCount;
    private long truncateAfter;
    // the export gate, guarded by lock
    private Predicate<ExportQuery> hold;
    private final List<RecordedRequest> heldRequests = new ArrayList<>();

    private HttpServer server;
    private ExecutorService httpExecutor;
    private ExecutorService renderExecutor;
    private Path tempDir;
    private volatile boolean closed;

    public LogsApiSimulator(SimulatorConfig config) {
        this.config = config;
        this.data = new SimulatedData(config.seed(), config.rowsPerDay());
        this.faultRandom = new Random(config.seed() ^ 0x5EED_FA17L);
    }

    /** Binds 127.0.0.1 on the configured port (0 = ephemeral) and starts serving. */
    public LogsApiSimulator start() throws IOException {
        synchronized (lock) {
            if (server != null) {
                throw new IllegalStateException("already started");
            }
            if (closed) {
                throw new IllegalStateException("closed");
            }
            tempDir = Files.createTempDirectory("logs-api-simulator-");
            httpExecutor = Executors.newFixedThreadPool(8, daemonThreads("logs-api-sim-http-"));
            renderExecutor = Executors.newFixedThreadPool(2, daemonThreads("logs-api-sim-render-"));
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()), 64);
            server.createContext("/", this::handle);
            server.setExecutor(httpExecutor);
            server.start();
        }
        return this;
    }

    public int port() {
        HttpServer s = server;
        if (s == null) {
            throw new IllegalStateException("not started");
        }
        return s.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public SimulatorConfig config() {
        return config;
    }

    /** The ground truth used for exports prepared from now on. */
    public SimulatedData data() {
        return data;
    }

    /** Rows per (application, source, day) of exports prepared from now on. */
    public void setRowsPerDay(int rows) {
        data = new SimulatedData(config.seed(), rows, data.lateRows());
    }

    /** Days keep growing after they end, by the given rule, for exports prepared from now on. */
    /** Paces every export body to this shared bandwidth (null: as fast as the machine goes). */
    public void setBandwidth(Bandwidth limit) {
        bandwidth = limit;
    }

    public void setLateRows(SimulatedData.LateRows rule) {
        data = new SimulatedData(config.seed(), data.rowsPerDay(), rule);
    }

    /** The next {@code count} export requests are answered with {@code status} and a short text body. */
    public void failNextRequests(int count, int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be 4xx or 5xx: " + status);
        }
        synchronized (lock) {
            failCount = Math.max(0, count);
            failStatus = status;
        }
    }

    /**
     * The next {@code count} 200 answers send their headers with the full Content-Length, then {@code afterBytes}
     * bytes of the body, then abort the connection.
     */
    public void dropNextDownloads(int count, long afterBytes) {
        synchronized (lock) {
            dropCount = Math.max(0, count);
            dropAfter = Math.max(0, afterBytes);
        }
    }

    /**
     * The next {@code count} 200 answers are cut cleanly: Content-Length = {@code afterBytes} and the body ends there,
     * a truncated file that only parsing can detect.
     */
    public void truncateNextDownloads(int count, long afterBytes) {
        synchronized (lock) {
            truncateCount = Math.max(0, count);
            truncateAfter = Math.max(0, afterBytes);
        }
    }

    /**
     * From now on, export requests matching {@code which} are answered 202 (queued, docs/logs-api.md §4.3) whatever the export's
     * state, until {@link #releaseHeld()}: the export neither progresses nor becomes ready. The application's queue
     * limit and {@code Cache-Control: no-cache} work as usual. Replaces an earlier hold and forgets the requests it held.
     */
    public void holdExports(Predicate<ExportQuery> which) {
        synchronized (lock) {
            hold = Objects.requireNonNull(which);
            heldRequests.clear();
        }
    }

    /** Holds the exports of {@code source} for {@code applicationId} whose date range includes {@code day}. */
    public void hold(String source, long applicationId, LocalDate day) {
        holdExports(q -> q.source().name().equals(source) && q.applicationId() == applicationId && q.days().contains(day));
    }

    /** Held exports continue where they were: the next request of each progresses as if the hold had never been. */
    public void releaseHeld() {
        synchronized (lock) {
            hold = null;
        }
    }

    /**
     * Returns the first request the current hold answered 202 (recorded as the answer is sent), waiting for it up to
     * {@code timeout}.
     */
    public RecordedRequest awaitHeldRequest(Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (heldRequests.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("no held export was requested within " + timeout.toSeconds() + " s; "
                            + requests().size() + " requests so far" + (hold == null ? ", and nothing is held" : ""));
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return heldRequests.get(0);
        }
    }

    /** The requests the current hold answered 202, in order. */
    public List<RecordedRequest> heldRequests() {
        synchronized (lock) {
            return List.copyOf(heldRequests);
        }
    }

    /** Every request received so far, in order. */
    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    @Override
    public void close() {
        HttpServer s;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            s = server;
            for (ExportJob job : jobs.values()) {
                job.prepared.cancelled = true;
            }
            jobs.clear();
        }
        if (s != null) {
            s.stop(0);
        }
        shutdown(httpExecutor);
        shutdown(renderExecutor);
        if (tempDir != null) {
            deleteTree(tempDir);
        }
    }

    // ------------------------------------------------------------------------------------------ request handling

    private void handle(HttpExchange ex) {
        String method = ex.getRequestMethod();
        URI uri = ex.getRequestURI();
        String path = uri.getPath() == null ? "" : uri.getPath();
        String authorization = ex.getRequestHeaders().getFirst("Authorization");
        String cacheControl = ex.getRequestHeaders().getFirst("Cache-Control");
        Map<String, String> query = new LinkedHashMap<>();
        String duplicate = parseQuery(uri.getRawQuery(), query);
        Map<String, String> recordedQuery = Collections.unmodifiableMap(new LinkedHashMap<>(query));
        Response response;
        try {
            response = route(ex, method, path, query, duplicate, authorization, cacheControl);
        } catch (RuntimeException | IOException e) {
            response = text(500, "Internal server error.");
        }
        RecordedRequest recorded = new RecordedRequest(method, path, recordedQuery, authorization, cacheControl,
                response.status);
        synchronized (requests) {
            requests.add(recorded);
        }
        if (response.held) { // recorded before the answer goes out, as every request is: a client never sees it first
            synchronized (lock) {
                heldRequests.add(recorded);
                lock.notifyAll();
            }
        }
        try {
            response.send(ex, authorization);
        } catch (IOException e) {
            // the client went away
        } finally {
            ex.close();
        }
    }

    private Response route(HttpExchange ex, String method, String path, Map<String, String> query, String duplicate,
                           String authorization, String cacheControl) throws IOException {
        boolean export = path.startsWith(EXPORT_PREFIX);
        synchronized (lock) {
            if (closed) {
                return text(503, "Service unavailable.");
            }
            if (export && failCount > 0) {
                failCount--;
                return text(failStatus, failStatus >= 500 ? "Internal server error. Try again later."
                        : "Simulated error.");
            }
        }
        if (config.faultRate() > 0) {
            synchronized (faultRandom) {
                if (faultRandom.nextDouble() < config.faultRate()) {
                    int status = FAULT_STATUSES[faultRandom.nextInt(FAULT_STATUSES.length)];
                    return text(status, "Internal server error. Try again later.");
                }
            }
        }
        boolean management = path.startsWith("/management/");
        if (!method.equals("GET")) {
            return management ? managementError(405, "method_not_allowed", "Only GET is supported.")
                    : text(405, "Method not allowed: only GET is supported.");
        }
        Set<Long> access = access(authorization);
        if (access == null) {
            String message = authorization == null
                    ? "Unauthorized: the header Authorization: OAuth <token> is required."
                    : "Unauthorized: the OAuth token is invalid.";
            return management ? managementError(401, "unauthorized", message) : text(401, message);
        }
        if (export) {
            return export(ex, path, query, duplicate, access, cacheControl);
        }
        if (management) {
            return management(path, access);
        }
        return text(404, "Not found.");
    }

    /** Application ids the request may read (empty = all), or null when the request is not authenticated. */
    private Set<Long> access(String authorization) {
        if (authorization == null) {
            return null;
        }
        String a = authorization.trim();
        if (a.length() < 6 || !a.regionMatches(true, 0, "OAuth ", 0, 6)) {
            return null;
        }
        String token = a.substring(6).trim();
        return token.isEmpty() ? null : config.tokens().get(token);
    }

    private Response export(HttpExchange ex, String path, Map<String, String> query, String duplicate,
                            Set<Long> access, String cacheControl) throws IOException {
        String name = path.substring(EXPORT_PREFIX.length());
        int dot = name.lastIndexOf('.');
        if (name.contains("/") || dot <= 0) {
            return text(404, "Not found: unknown resource.");
        }
        String resource = name.substring(0, dot);
        String format = name.substring(dot + 1);
        SourceSpec source = FieldCatalog.get().source(resource).orElse(null);
        if (source == null) {
            return text(404, "Not found: unknown resource " + ExportRequestParser.printable(resource) + ".");
        }
        if (!format.equals("csv") && !format.equals("json")) {
            return text(404, "Not found: unknown format " + ExportRequestParser.printable(format)
                    + " (csv or json).");
        }
        ExportQuery q;
        try {
            if (duplicate != null) {
                throw new Rejection(400, "Invalid parameter " + ExportRequestParser.printable(duplicate)
                        + ": it is given more than once.");
            }
            long app = ExportRequestParser.applicationId(query);
            if (!access.isEmpty() && !access.contains(app)) {
                return text(403, "Access denied: the token has no access to application_id " + app + ".");
            }
            q = ExportRequestParser.parse(source, format.equals("json"), query);
        } catch (Rejection r) {
            return text(r.status, r.getMessage());
        }

        CacheControl cc = CacheControl.parse(cacheControl);
        Prepared prepared;
        synchronized (lock) {
            ExportJob job = jobs.get(q.identity());
            if (hold != null && hold.test(q)) {
                return held(q, job, cc);
            }
            if (job == null) {
                if (enqueued(q.applicationId()) >= MAX_ENQUEUED_PER_APP) {
                    return text(429, TEXT_QUEUE_FULL);
                }
                job = new ExportJob(q.applicationId(), newPrepared(q));
                jobs.put(q.identity(), job);
                if (config.readyAfter() > 0) {
                    job.polls = 1;
                    prerender(job.prepared, q);
                    return text(202, TEXT_ADDED);
                }
                job.markReady();
            } else if (!job.ready) {
                if (cc.noCache) {
                    job.restart(newPrepared(q));
                    job.polls = 1;
                    prerender(job.prepared, q);
                    return text(202, TEXT_MOVED);
                }
                if (job.polls < config.readyAfter()) {
                    int progress = job.polls * 100 / config.readyAfter();
                    job.polls++;
                    return text(202, "Wait for result. Progress is " + progress + "%.");
                }
                job.markReady();
            } else if (cc.noCache || cc.maxAgeSeconds >= 0
                    && System.nanoTime() - job.readyAtNanos > TimeUnit.SECONDS.toNanos(cc.maxAgeSeconds)) {
                if (enqueued(q.applicationId()) >= MAX_ENQUEUED_PER_APP) {
                    return text(429, TEXT_QUEUE_FULL);
                }
                job.restart(newPrepared(q));
                if (config.readyAfter() > 0) {
                    job.polls = 1;
                    prerender(job.prepared, q);
                    return text(202, TEXT_ADDED);
                }
                job.markReady();
            }
            prepared = job.prepared;
        }
        boolean gzip = acceptsGzip(ex.getRequestHeaders().getFirst("Accept-Encoding"));
        Rendered file;
        try {
            file = file(prepared, q.partsCount(), q.partNumber(), gzip);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return text(503, "Service unavailable.");
        }
        if (file == null) {
            return text(503, "Service unavailable: the export was restarted, repeat the request.");
        }
        if (file.tooLarge) {
            return text(400, TEXT_TOO_LARGE);
        }
        return new FileResponse(file, q.json() ? "application/json; charset=utf-8" : "text/csv; charset=utf-8",
                gzip);
    }

    /** The answer to a held export request: queued, without progress (called with lock held). */
    private Response held(ExportQuery q, ExportJob job, CacheControl cc) {
        if (job == null || cc.noCache) {
            boolean queued = job != null && !job.ready;
            if (!queued && enqueued(q.applicationId()) >= MAX_ENQUEUED_PER_APP) {
                return text(429, TEXT_QUEUE_FULL);
            }
            if (job == null) {
                job = new ExportJob(q.applicationId(), newPrepared(q));
                jobs.put(q.identity(), job);
            } else {
                job.restart(newPrepared(q));
            }
            job.polls = config.readyAfter() > 0 ? 1 : 0;
            prerender(job.prepared, q);
            return text(202, queued ? TEXT_MOVED : TEXT_ADDED).held();
        }
        int progress = job.ready || config.readyAfter() == 0 ? 0 : job.polls * 100 / config.readyAfter();
        return text(202, "Wait for result. Progress is " + progress + "%.").held();
    }

    private int enqueued(long app) {
        int n = 0;
        for (ExportJob job : jobs.values()) {
            if (job.app == app && !job.ready) {
                n++;
            }
        }
        return n;
    }

    private Prepared newPrepared(ExportQuery q) {
        return new Prepared(data, q);
    }

    /** Starts rendering the requested variant while the client polls. */
    private void prerender(Prepared prepared, ExportQuery q) {
        FutureTask<Rendered> task = variant(prepared, q.partsCount(), q.partNumber(), false);
        try {
            renderExecutor.execute(task);
        } catch (RuntimeException e) {
            // executor shut down: the download request renders it itself
        }
    }

    /** The rendered file of one variant (rendering it now if needed), or null when the export was cancelled. */
    private Rendered file(Prepared prepared, int partsCount, int partNumber, boolean gzip)
            throws InterruptedException, IOException {
        FutureTask<Rendered> task = variant(prepared, partsCount, partNumber, gzip);
        task.run();
        try {
            return task.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InterruptedIOException) {
                return null;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(cause);
        }
    }

    private FutureTask<Rendered> variant(Prepared prepared, int partsCount, int partNumber, boolean gzip) {
        // gzip is compressed while it is sent (FileResponse): one rendered file serves both
        return prepared.files.computeIfAbsent(partsCount + "/" + partNumber, k -> new FutureTask<>(() -> render(prepared, partsCount, partNumber)));
    }

    private Rendered render(Prepared prepared, int partsCount, int partNumber) throws IOException {
        ExportQuery q = prepared.query;
        Path file = tempDir.resolve("export-" + fileSeq.incrementAndGet() + (q.json() ? ".json" : ".csv"));
        boolean ok = false;
        try (OutputStream out = Files.newOutputStream(file)) {
            long rows = ExportRenderer.render(prepared.data, q, partsCount, partNumber, config.maxRowsPerFile(),
                    out, () -> prepared.cancelled || closed);
            ok = true;
            return new Rendered(file, Files.size(file), rows, false);
        } catch (ExportRenderer.TooLargeException e) {
            return new Rendered(null, 0, -1, true);
        } finally {
            if (!ok) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static boolean acceptsGzip(String acceptEncoding) {
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

    // ------------------------------------------------------------------------------------------ management API

    private Response management(String path, Set<Long> access) {
        switch (path) {
            case "/management/v1/logsapi/status":
                return json(200, "{\"logs_api_availability_status\":\"enabled\"}");
            case "/management/v1/applications": {
                StringBuilder sb = new StringBuilder("{\"applications\":[");
                boolean first = true;
                for (long id : visibleApplications(access)) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    application(sb, id, access);
                }
                return json(200, sb.append("]}").toString());
            }
            default:
                break;
        }
        String prefix = "/management/v1/application/";
        if (path.startsWith(prefix)) {
            String idText = path.substring(prefix.length());
            if (idText.endsWith("/")) {
                idText = idText.substring(0, idText.length() - 1);
            }
            long id;
            try {
                id = Long.parseLong(idText);
            } catch (NumberFormatException e) {
                return managementError(400, "invalid_parameter", "Invalid application id.");
            }
            if (id < 0) {
                return managementError(400, "invalid_parameter", "Invalid application id.");
            }
            if (!access.isEmpty() && !access.contains(id)) {
                return managementError(403, "access_denied", "Access denied.");
            }
            StringBuilder sb = new StringBuilder("{\"application\":");
            application(sb, id, access);
            return json(200, sb.append('}').toString());
        }
        return managementError(404, "not_found", "Not found.");
    }

    /** The token's own applications; for a token that may read everything, every id named in the configuration. */
    private Set<Long> visibleApplications(Set<Long> access) {
        if (!access.isEmpty()) {
            return new TreeSet<>(access);
        }
        Set<Long> all = new TreeSet<>();
        config.tokens().values().forEach(all::addAll);
        return all;
    }

    private void application(StringBuilder sb, long id, Set<Long> access) {
        long h = Mix.mix(config.seed() ^ Mix.mix(id + 17));
        sb.append("{\"id\":").append(id)
                .append(",\"name\":\"Simulated app ").append(id).append('"')
                .append(",\"time_zone_name\":\"UTC\",\"time_zone_offset\":0")
                .append(",\"create_date\":\"").append(APP_CREATE_DATE).append('"')
                .append(",\"api_key128\":\"").append(ValueRules.hex(h, 8)).append('-')
                .append(ValueRules.hex(Mix.mix(h), 4)).append("-4").append(ValueRules.hex(Mix.mix(h ^ 1), 3))
                .append("-a").append(ValueRules.hex(Mix.mix(h ^ 2), 3)).append('-')
                .append(ValueRules.hex(Mix.mix(h ^ 3), 12)).append('"')
                .append(",\"permission\":\"").append(access.isEmpty() ? "own" : "view").append("\"}");
    }

    private Response managementError(int status, String type, String message) {
        return json(status, "{\"errors\":[{\"error_type\":\"" + type + "\",\"message\":\"" + message
                + "\"}],\"code\":" + status + ",\"message\":\"" + message + "\"}");
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** Decodes the query into {@code out} (first value wins); returns the name of a repeated parameter, or null. */
    static String parseQuery(String rawQuery, Map<String, String> out) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        String duplicate = null;
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (out.containsKey(name)) {
                if (duplicate == null) {
                    duplicate = name;
                }
            } else {
                out.put(name, value);
            }
        }
        return duplicate;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private Response text(int status, String body) {
        return new TextResponse(status, TEXT_PLAIN, body);
    }

    private Response json(int status, String body) {
        return new TextResponse(status, APPLICATION_JSON, body);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static void shutdown(ExecutorService executor) {
        if (executor == null) {
            return;
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }

    // ------------------------------------------------------------------------------------------ state

    /** One export identity and its queue state. */
    private final class ExportJob {
        final long app;
        Prepared prepared;
        boolean ready;
        int polls;
        long readyAtNanos;

        ExportJob(long app, Prepared prepared) {
            this.app = app;
            this.prepared = prepared;
        }

        void markReady() {
            ready = true;
            readyAtNanos = System.nanoTime();
        }

        /** A new preparation: the old files are dropped, a download still streaming one keeps its open file. */
        void restart(Prepared next) {
            Prepared old = prepared;
            old.cancelled = true;
            for (FutureTask<Rendered> task : old.files.values()) {
                if (task.isDone()) {
                    try {
                        Rendered r = task.get();
                        if (r != null && r.file != null) {
                            Files.deleteIfExists(r.file);
                        }
                    } catch (Exception e) {
                        // nothing to delete
                    }
                }
            }
            prepared = next;
            ready = false;
            polls = 0;
        }
    }

    /** One preparation of an export: the data snapshot and its rendered variants (parts, gzip). */
    private static final class Prepared {
        final SimulatedData data;
        final ExportQuery query;
        final Map<String, FutureTask<Rendered>> files = new ConcurrentHashMap<>();
        volatile boolean cancelled;

        Prepared(SimulatedData data, ExportQuery query) {
            this.data = data;
            this.query = query;
        }
    }

    private record Rendered(Path file, long length, long rows, boolean tooLarge) {
    }

    private record CacheControl(boolean noCache, long maxAgeSeconds) {
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

    private abstract static class Response {
        final int status;
        /** A 202 of {@link #holdExports(Predicate)}. */
        boolean held;

        Response(int status) {
            this.status = status;
        }

        Response held() {
            held = true;
            return this;
        }

        abstract void send(HttpExchange ex, String authorization) throws IOException;
    }

    private final class TextResponse extends Response {
        private final String contentType;
        private final String body;

        TextResponse(int status, String contentType, String body) {
            super(status);
            this.contentType = contentType;
            this.body = body;
        }

        @Override
        void send(HttpExchange ex, String authorization) throws IOException {
            byte[] bytes = redact(body, authorization).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Never echo a token, whatever ended up in a message. */
    private String redact(String body, String authorization) {
        String out = body;
        for (String token : config.tokens().keySet()) {
            if (token.length() >= 4 && out.contains(token)) {
                out = out.replace(token, "***");
            }
        }
        if (authorization != null && authorization.length() > 6) {
            String presented = authorization.substring(6).trim();
            if (presented.length() >= 4 && out.contains(presented)) {
                out = out.replace(presented, "***");
            }
        }
        return out;
    }

    private final class FileResponse extends Response {
        private final Rendered file;
        private final String contentType;
        private final boolean gzip;

        FileResponse(Rendered file, String contentType, boolean gzip) {
            super(200);
            this.file = file;
            this.contentType = contentType;
            this.gzip = gzip;
        }

        @Override
        void send(HttpExchange ex, String authorization) throws IOException {
            long dropAt = -1;
            long truncateAt = -1;
            synchronized (lock) {
                if (dropCount > 0) {
                    dropCount--;
                    dropAt = Math.min(dropAfter, file.length);
                } else if (truncateCount > 0) {
                    truncateCount--;
                    truncateAt = Math.min(truncateAfter, file.length);
                }
            }
            InputStream in;
            try {
                in = Files.newInputStream(file.file);
            } catch (NoSuchFileException e) {
                // the export was re-prepared between the decision and the download
                new TextResponse(503, TEXT_PLAIN, "Service unavailable: repeat the request.").send(ex, authorization);
                return;
            }
            try (in) {
                ex.getResponseHeaders().set("Content-Type", contentType);
                Bandwidth link = bandwidth;
                if (gzip) {
                    sendGzip(ex, in, link, dropAt, truncateAt);
                    return;
                }
                if (dropAt >= 0) {
                    ex.sendResponseHeaders(200, file.length);
                    OutputStream out = ex.getResponseBody();
                    copy(in, out, dropAt);
                    out.flush();
                    ex.close(); // fewer bytes than Content-Length: the server aborts the connection
                    return;
                }
                long length = truncateAt >= 0 ? truncateAt : file.length;
                ex.sendResponseHeaders(200, length == 0 ? -1 : length);
                try (OutputStream out = link == null ? ex.getResponseBody() : link.limit(ex.getResponseBody())) {
                    copy(in, out, length);
                }
            }
        }
    }

    /**
     * Compressed while it is sent, in chunks (no Content-Length), at the fastest level so that a bandwidth limit, not
     * the simulator's CPU, sets the pace. A truncation compresses fewer rows whole. A drop (a test fault, small files)
     * compresses it all first, to announce its length and then break off inside it, as the plain answer does.
     */
    private static void sendGzip(HttpExchange ex, InputStream in, Bandwidth link, long dropAt, long truncateAt) throws IOException {
        ex.getResponseHeaders().set("Content-Encoding", "gzip");
        if (dropAt >= 0) {
            java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
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
