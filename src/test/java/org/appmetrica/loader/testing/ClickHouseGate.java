package org.appmetrica.loader.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP proxy in the test JVM, on 127.0.0.1 and an ephemeral port, in front of the real ClickHouse: point the loader
 * at {@link #url()} ({@code clickhouseUrl=http://127.0.0.1:PORT}) and the test gets explicit signals for the moments
 * it needs, instead of waiting for "something probably happened".
 *
 * <p>Every request is forwarded as it came: method, path and query, headers (except hop-by-hop ones, {@code Host} and
 * {@code Content-Length}, which the client recomputes) and the body, streamed (chunked or not); the status, headers and
 * body of ClickHouse's answer go back unchanged. Each INSERT ({@code INSERT INTO db.table ...}, in the {@code query}
 * parameter or at the start of the body) is counted per table, and its n-th occurrence can be gated:
 * <ul>
 *   <li>{@link #holdInsert(String, int)}: the INSERT reaches ClickHouse and is acknowledged, but the answer is kept
 *       from the loader until {@link Hold#release()}; {@link Hold#awaitHeld(Duration)} returns once that happened.</li>
 *   <li>{@link #onInsertAcknowledged(String, int, Runnable)}: an action runs after ClickHouse acknowledged the INSERT
 *       and before the loader gets the answer (e.g. SIGKILL the loader: the rows are in, the checkpoint is not).</li>
 * </ul>
 *
 * <p>No timing assumption is made on connections either: the proxy sends {@code Connection: close} to ClickHouse and
 * to the loader, so no side ever reuses a keep-alive connection the other side is closing for idleness (a POST on
 * such a connection would fail at random). That header needs the JVM property
 * {@code jdk.httpclient.allowRestrictedHeaders=connection}, set by pom.xml for every test JVM (and here, for a JVM
 * where no {@link HttpClient} ran before).
 */
public final class ClickHouseGate implements AutoCloseable {

    /** Safety net of every wait of a test on the gate: generous, only reached when something is broken. */
    public static final Duration TIMEOUT = Duration.ofMinutes(2);

    private static final Pattern INSERT = Pattern.compile(
            "^\\s*INSERT\\s+INTO\\s+(?:TABLE\\s+)?((?:`[^`]+`|\"[^\"]+\"|[\\w$]+)(?:\\s*\\.\\s*(?:`[^`]+`|\"[^\"]+\"|[\\w$]+))?)",
            Pattern.CASE_INSENSITIVE);
    /** Headers of one connection, not of the message (RFC 9110 §7.6.1), and those the HTTP client sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect");
    private static final int PEEK = 512;

    static {
        // The JDK server writes headers and body separately; with Nagle's algorithm every answer would wait for the
        // client's delayed ACK. Read once, when the JDK creates its first HttpServer.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        if (System.getProperty("jdk.httpclient.allowRestrictedHeaders") == null) {
            System.setProperty("jdk.httpclient.allowRestrictedHeaders", "connection");
        }
    }

    private final URI upstream;
    private final HttpServer server;
    private final ExecutorService serverThreads;
    private final ExecutorService clientThreads;
    private final HttpClient client;
    private final Map<String, AtomicInteger> inserts = new ConcurrentHashMap<>();
    private final Map<String, Trigger> triggers = new ConcurrentHashMap<>();
    private final Map<String, BodyPause> pauses = new ConcurrentHashMap<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private ClickHouseGate(URI upstream) throws IOException {
        this.upstream = upstream;
        try {
            HttpRequest.newBuilder(upstream).header("Connection", "close");
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("ClickHouseGate needs -Djdk.httpclient.allowRestrictedHeaders=connection when the JVM starts"
                    + " (pom.xml sets it for surefire and failsafe)", e);
        }
        serverThreads = Executors.newCachedThreadPool(daemonThreads("clickhouse-gate-"));
        clientThreads = Executors.newCachedThreadPool(daemonThreads("clickhouse-gate-client-"));
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(clientThreads)
                .build();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(serverThreads);
        server.start();
    }

    /** A gate in front of the test ClickHouse ({@code clickhouse.url}, default http://127.0.0.1:18123). */
    public static ClickHouseGate start() throws IOException {
        return start(System.getProperty("clickhouse.url", "http://127.0.0.1:18123"));
    }

    /** A gate in front of the ClickHouse HTTP interface at {@code upstreamUrl} (http://host:port). */
    public static ClickHouseGate start(String upstreamUrl) throws IOException {
        URI u = URI.create(upstreamUrl);
        return new ClickHouseGate(URI.create(u.getScheme() + "://" + u.getHost() + ":" + u.getPort()));
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The loader's {@code clickhouseUrl}. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /**
     * The {@code n}-th INSERT (1-based, counted from this gate's start) into {@code table} ({@code db.table}, unquoted)
     * is forwarded and acknowledged by ClickHouse, and its answer is kept from the loader until {@link Hold#release()}.
     */
    public Hold holdInsert(String table, int n) {
        Hold hold = new Hold(table, n);
        register(hold);
        return hold;
    }

    /**
     * Runs {@code action} on the proxy's thread after ClickHouse acknowledged the {@code n}-th INSERT into {@code table}
     * and before the loader receives the answer (which it gets afterwards, if it is still there to read it).
     */
    public Trigger onInsertAcknowledged(String table, int n, Runnable action) {
        Trigger trigger = new Trigger(table, n, action);
        register(trigger);
        return trigger;
    }

    /**
     * The {@code n}-th INSERT into {@code table} is applied by ClickHouse, but the loader never gets the answer: its
     * connection is closed instead (an answer lost on the network; ClickHouse's UNKNOWN_STATUS_OF_INSERT case).
     */
    public Trigger dropAnswer(String table, int n) {
        Trigger trigger = new Trigger(table, n, null);
        trigger.dropAnswer = true;
        register(trigger);
        return trigger;
    }

    /**
     * The body of the {@code n}-th INSERT into {@code table} stops after {@code afterBytes} bytes went to ClickHouse:
     * the INSERT is open on both sides, ClickHouse has a part of its rows. Forwarding goes on at {@link BodyPause#release()}
     * (after the test killed the loader, the proxy then reads the end of a broken connection).
     */
    public BodyPause pauseBody(String table, int n, long afterBytes) {
        BodyPause pause = new BodyPause(table, n, afterBytes);
        if (pauses.putIfAbsent(table + "#" + n, pause) != null || inserts(table) >= n) {
            throw new IllegalStateException("INSERT #" + n + " into " + table + " is gated already or happened");
        }
        return pause;
    }

    /** INSERTs into {@code table} seen so far (whatever ClickHouse answered). */
    public int inserts(String table) {
        AtomicInteger n = inserts.get(table);
        return n == null ? 0 : n.get();
    }

    /** INSERTs per table seen so far. */
    public Map<String, Integer> inserts() {
        Map<String, Integer> out = new TreeMap<>();
        inserts.forEach((t, n) -> out.put(t, n.get()));
        return out;
    }

    /** Requests that could not be forwarded (ClickHouse unreachable, broken bodies), for diagnostics. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** Releases every hold and stops the proxy. */
    @Override
    public void close() {
        closed = true;
        pauses.values().forEach(BodyPause::release);
        triggers.values().forEach(t -> {
            if (t instanceof Hold h) {
                h.release();
            }
        });
        server.stop(0);
        serverThreads.shutdownNow();
        clientThreads.shutdownNow();
    }

    private void register(Trigger trigger) {
        if (trigger.n < 1) {
            throw new IllegalArgumentException("INSERTs are counted from 1: " + trigger.n);
        }
        Trigger previous = triggers.putIfAbsent(trigger.key(), trigger);
        if (previous != null) {
            throw new IllegalStateException("INSERT #" + trigger.n + " into " + trigger.table + " is gated already");
        }
        if (inserts(trigger.table) >= trigger.n) {
            triggers.remove(trigger.key());
            throw new IllegalStateException("INSERT #" + trigger.n + " into " + trigger.table + " happened already: "
                    + inserts(trigger.table) + " seen");
        }
    }

    // ------------------------------------------------------------------------------------------ forwarding

    /**
     * Forwards one exchange. Any failure is thrown to the JDK server, which then closes the loader's connection: an
     * answer that broke off upstream is never passed on as a complete (shorter) one.
     */
    private void handle(HttpExchange ex) throws IOException {
        forward(ex);
        ex.close();
    }

    private void forward(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String rawQuery = ex.getRequestURI().getRawQuery();
        InputStream body = ex.getRequestBody();
        String sql = queryParameter(rawQuery);
        boolean hasBody = hasBody(ex);
        if (sql == null && hasBody) { // the statement may be at the start of the body, before any data
            PushbackInputStream peek = new PushbackInputStream(body, PEEK);
            byte[] head = peek.readNBytes(PEEK);
            peek.unread(head);
            sql = new String(head, StandardCharsets.ISO_8859_1);
            body = peek;
        }
        String table = insertTable(sql);
        Trigger trigger = null;
        if (table != null) {
            int n = inserts.computeIfAbsent(table, t -> new AtomicInteger()).incrementAndGet();
            trigger = triggers.get(table + "#" + n);
            BodyPause pause = pauses.get(table + "#" + n);
            if (pause != null) {
                body = pause.wrap(body);
            }
        }

        HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(ex.getRequestURI().getRawPath()
                + (rawQuery == null ? "" : "?" + rawQuery)));
        ex.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                for (String v : values) {
                    try {
                        request.header(name, v);
                    } catch (IllegalArgumentException e) {
                        failures.add("header not forwarded: " + name + ": " + e.getMessage());
                    }
                }
            }
        });
        request.header("Connection", "close");
        InputStream requestBody = body;
        HttpRequest.BodyPublisher publisher;
        if (!hasBody) {
            publisher = HttpRequest.BodyPublishers.noBody();
        } else {
            HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> requestBody);
            long length = contentLength(ex);
            publisher = length >= 0 ? HttpRequest.BodyPublishers.fromPublisher(stream, length) : stream;
        }
        request.method(method, publisher);

        HttpResponse<InputStream> answer;
        try {
            answer = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException | InterruptedException e) {
            // ClickHouse did not answer: the loader's connection is closed without an answer, as ClickHouse's would be
            String failure = method + " " + describe(sql) + ": " + e;
            failures.add(failure);
            if (trigger != null) {
                trigger.failed(failure);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("ClickHouse did not answer " + failure, e);
        }

        if (trigger == null) {
            try (InputStream in = answer.body()) {
                sendHeaders(ex, answer, contentLength(answer));
                OutputStream out = ex.getResponseBody();
                in.transferTo(out);
                out.close(); // only now: closing ends a chunked answer as complete
            }
            return;
        }
        // a gated INSERT: read ClickHouse's whole answer (it is acknowledged then), run the gate, then answer the loader
        byte[] content;
        try (InputStream in = answer.body()) {
            content = in.readAllBytes();
        } catch (IOException e) {
            String failure = "INSERT into " + table + ": ClickHouse's answer broke off: " + e;
            failures.add(failure);
            trigger.failed(failure);
            throw e;
        }
        trigger.acknowledged(answer.statusCode(), new String(content, StandardCharsets.UTF_8));
        if (trigger.dropAnswer) {
            throw new IOException("the answer to INSERT #" + trigger.n + " into " + table + " is dropped by the test");
        }
        sendHeaders(ex, answer, content.length);
        OutputStream out = ex.getResponseBody();
        out.write(content);
        out.close();
    }

    private static void sendHeaders(HttpExchange ex, HttpResponse<?> answer, long length) throws IOException {
        answer.headers().map().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                ex.getResponseHeaders().put(name, new ArrayList<>(values));
            }
        });
        ex.getResponseHeaders().set("Connection", "close");
        boolean noBody = ex.getRequestMethod().equalsIgnoreCase("HEAD") || answer.statusCode() == 204 || answer.statusCode() == 304;
        // the JDK server's convention: -1 = no body, 0 = chunked, n = Content-Length
        ex.sendResponseHeaders(answer.statusCode(), noBody || length == 0 ? -1 : Math.max(length, 0));
    }

    private static boolean hasBody(HttpExchange ex) {
        return contentLength(ex) > 0 || ex.getRequestHeaders().containsKey("Transfer-Encoding");
    }

    private static long contentLength(HttpExchange ex) {
        String v = ex.getRequestHeaders().getFirst("Content-Length");
        return v == null ? -1 : Long.parseLong(v.trim());
    }

    /** ClickHouse's Content-Length, or -1 (chunked). */
    private static long contentLength(HttpResponse<?> answer) {
        return answer.headers().firstValueAsLong("Content-Length").orElse(-1);
    }

    private static String queryParameter(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith("query=")) {
                return URLDecoder.decode(pair.substring("query=".length()), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** {@code db.table} of an INSERT, quotes removed, or null. */
    static String insertTable(String sql) {
        if (sql == null) {
            return null;
        }
        Matcher m = INSERT.matcher(sql);
        return m.find() ? m.group(1).replaceAll("[`\"\\s]", "") : null;
    }

    private static String describe(String sql) {
        if (sql == null) {
            return "(no statement)";
        }
        String s = sql.replaceAll("\\s+", " ");
        return s.length() <= 120 ? s : s.substring(0, 120) + "…";
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // ------------------------------------------------------------------------------------------ gates

    /** Something that happens when the n-th INSERT into a table was acknowledged by ClickHouse. */
    public class Trigger {
        final String table;
        final int n;
        private final Runnable action;
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile int status;
        private volatile String answer;
        private volatile String failure;
        private volatile Throwable actionError;
        private boolean dropAnswer;

        Trigger(String table, int n, Runnable action) {
            this.table = table;
            this.n = n;
            this.action = action;
        }

        String key() {
            return table + "#" + n;
        }

        /** On the proxy's thread, with ClickHouse's answer read and not yet passed on. */
        void acknowledged(int status, String answer) {
            this.status = status;
            this.answer = answer;
            try {
                if (action != null) {
                    action.run();
                }
            } catch (RuntimeException | Error e) {
                actionError = e;
                failures.add("the action on INSERT #" + n + " into " + table + " failed: " + e);
            } finally {
                done.countDown();
            }
            afterSignal();
        }

        /** What happens after the test was signalled, before the loader gets the answer. */
        void afterSignal() {
        }

        void failed(String why) {
            failure = why;
            done.countDown();
        }

        /** Blocks until the INSERT was acknowledged and the action ran; fails the test after {@code timeout}. */
        public void awaitDone(Duration timeout) throws InterruptedException {
            awaitDone(timeout, () -> "");
        }

        /** As {@link #awaitDone(Duration)}, with {@code context} (e.g. the loader's output) in the failure message. */
        public void awaitDone(Duration timeout, Supplier<String> context) throws InterruptedException {
            if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("INSERT #" + n + " into " + table + " did not happen within " + timeout.toSeconds()
                        + " s; INSERTs seen: " + inserts() + "; failures: " + failures() + context(context));
            }
            if (failure != null) {
                throw new AssertionError("INSERT #" + n + " into " + table + " did not reach ClickHouse: " + failure + context(context));
            }
            if (actionError != null) {
                throw new AssertionError("the action on INSERT #" + n + " into " + table + " failed", actionError);
            }
        }

        /** The HTTP status of ClickHouse's answer (200 = acknowledged), 0 before. */
        public int status() {
            return status;
        }

        /** ClickHouse's answer body (empty for a successful INSERT). */
        public String answer() {
            return answer;
        }

        private String context(Supplier<String> context) {
            String c = context.get();
            return c == null || c.isEmpty() ? "" : "\n" + c;
        }
    }

    /** An INSERT acknowledged by ClickHouse whose answer the loader gets only on {@link #release()}. */
    public final class Hold extends Trigger {
        private final CountDownLatch released = new CountDownLatch(1);

        Hold(String table, int n) {
            super(table, n, null);
        }

        @Override
        void afterSignal() {
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the gate is closing
            }
        }

        /** Blocks until ClickHouse acknowledged the INSERT and its answer is held; fails the test after {@code timeout}. */
        public void awaitHeld(Duration timeout) throws InterruptedException {
            awaitHeld(timeout, () -> "");
        }

        /** As {@link #awaitHeld(Duration)}, with {@code context} (e.g. the loader's output) in the failure message. */
        public void awaitHeld(Duration timeout, Supplier<String> context) throws InterruptedException {
            awaitDone(timeout, context);
            if (status() != 200) {
                throw new AssertionError("INSERT #" + n + " into " + table + " was not acknowledged: HTTP " + status() + " " + answer());
            }
        }

        /** The loader gets ClickHouse's answer (at once if the INSERT is not held yet: it will not be). */
        public void release() {
            released.countDown();
        }

        public boolean isReleased() {
            return released.getCount() == 0;
        }
    }

    /** Stops an INSERT's body after some bytes until {@link #release()}. */
    public static final class BodyPause {
        private final String what;
        private final long afterBytes;
        private final CountDownLatch paused = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        BodyPause(String table, int n, long afterBytes) {
            this.what = "INSERT #" + n + " into " + table;
            this.afterBytes = afterBytes;
        }

        InputStream wrap(InputStream in) {
            return new FilterInputStream(in) {
                private long passed;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (passed >= afterBytes) {
                        paused.countDown();
                        try {
                            released.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException("the gate is closing", e);
                        }
                    }
                    int n = super.read(b, off, passed < afterBytes ? (int) Math.min(len, afterBytes - passed) : len);
                    if (n > 0) {
                        passed += n;
                    }
                    return n;
                }
            };
        }

        /** Blocks until the body stopped; fails the test after {@code timeout}. */
        public void awaitPaused(Duration timeout, Supplier<String> context) throws InterruptedException {
            if (!paused.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(what + " did not send " + afterBytes + " bytes within " + timeout.toSeconds() + " s\n"
                        + context.get());
            }
        }

        public void release() {
            released.countDown();
        }
    }
}
