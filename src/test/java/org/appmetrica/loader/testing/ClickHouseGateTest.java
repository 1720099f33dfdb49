package org.appmetrica.loader.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gate against a fake ClickHouse: faithful forwarding, holds, actions, counts, an unreachable upstream. */
class ClickHouseGateTest {

    private static final Duration WAIT = ClickHouseGate.TIMEOUT;

    /** What the fake upstream received. */
    private record Received(String method, String uri, Map<String, List<String>> headers, byte[] body) {
    }

    private HttpServer upstream;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** What the fake upstream answers: status, a header, a body (chunked when {@code chunked}). */
    private volatile int status = 200;
    private volatile byte[] answer = new byte[0];
    private volatile boolean chunked = true;
    private ClickHouseGate gate;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        upstream.setExecutor(Executors.newCachedThreadPool());
        upstream.createContext("/", this::answer);
        upstream.start();
        gate = ClickHouseGate.start("http://127.0.0.1:" + upstream.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        gate.close();
        upstream.stop(0);
    }

    private void answer(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        received.add(new Received(ex.getRequestMethod(), ex.getRequestURI().toString(), Map.copyOf(ex.getRequestHeaders()), body));
        ex.getResponseHeaders().set("X-ClickHouse-Summary", "{\"read_rows\":\"1\"}");
        ex.getResponseHeaders().set("Content-Type", "text/tab-separated-values; charset=UTF-8");
        byte[] a = answer;
        ex.sendResponseHeaders(status, a.length == 0 ? -1 : chunked ? 0 : a.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(a);
        }
    }

    private static String insertUri(String table) {
        return "/?wait_end_of_query=1&query=" + java.net.URLEncoder.encode("INSERT INTO " + table + " (`a`, `b`) FORMAT RowBinary",
                StandardCharsets.UTF_8);
    }

    private CompletableFuture<HttpResponse<byte[]>> post(String uri, byte[] body) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(gate.url() + uri)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void forwardsRequestsAndAnswersUnchanged() throws Exception {
        byte[] body = new byte[3 << 20];
        new Random(1).nextBytes(body);
        byte[] big = new byte[1 << 20];
        new Random(2).nextBytes(big);
        status = 500;
        answer = big;
        // a streamed (chunked) request body
        HttpRequest request = HttpRequest.newBuilder(URI.create(gate.url() + "/?database=x&query=SELECT%201%20FORMAT%20TabSeparated"))
                .header("X-ClickHouse-User", "default").header("Authorization", "Basic ZGVmYXVsdDo=")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build();
        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(500, r.statusCode());
        assertArrayEquals(big, r.body());
        assertEquals("{\"read_rows\":\"1\"}", r.headers().firstValue("X-ClickHouse-Summary").orElse(null));
        assertEquals("text/tab-separated-values; charset=UTF-8", r.headers().firstValue("Content-Type").orElse(null));
        Received got = received.get(0);
        assertEquals("POST", got.method());
        assertEquals("/?database=x&query=SELECT%201%20FORMAT%20TabSeparated", got.uri());
        assertArrayEquals(body, got.body());
        assertEquals(List.of("default"), got.headers().get("X-clickhouse-user"));
        assertEquals(List.of("Basic ZGVmYXVsdDo="), got.headers().get("Authorization"));

        // a fixed-length body and a fixed-length answer; GET without a body
        chunked = false;
        status = 200;
        answer = "1\n".getBytes(StandardCharsets.UTF_8);
        r = post("/?query=SELECT%201", body).get(1, TimeUnit.MINUTES);
        assertEquals("1\n", new String(r.body(), StandardCharsets.UTF_8));
        assertEquals(2, r.headers().firstValueAsLong("Content-Length").orElse(-1));
        assertArrayEquals(body, received.get(1).body());
        r = http.send(HttpRequest.newBuilder(URI.create(gate.url() + "/ping")).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("GET", received.get(2).method());
        assertEquals(0, received.get(2).body().length);
        assertEquals(Map.of(), gate.inserts(), "no INSERT so far");
        assertEquals(List.of(), gate.failures());
    }

    @Test
    void countsInsertsPerTableWhereverTheStatementIs() throws Exception {
        post(insertUri("db1._stage_events"), new byte[10]).get(1, TimeUnit.MINUTES);
        post(insertUri("`db1`.`_stage_events`"), new byte[10]).get(1, TimeUnit.MINUTES);
        post("/", "INSERT INTO db1.events FORMAT TabSeparated\n1\t2\n".getBytes(StandardCharsets.UTF_8)).get(1, TimeUnit.MINUTES);
        post("/", "SELECT count() FROM db1.events".getBytes(StandardCharsets.UTF_8)).get(1, TimeUnit.MINUTES);
        assertEquals(Map.of("db1._stage_events", 2, "db1.events", 1), gate.inserts());
        assertEquals(2, gate.inserts("db1._stage_events"));
        assertEquals(0, gate.inserts("db1.crashes"));
        assertEquals("INSERT INTO db1.events FORMAT TabSeparated\n1\t2\n", new String(received.get(2).body(), StandardCharsets.UTF_8));
        assertNull(ClickHouseGate.insertTable("SELECT 1"));
        assertEquals("a.b", ClickHouseGate.insertTable("  insert into table \"a\" . \"b\" (x) values"));
    }

    @Test
    void aHeldInsertIsAcknowledgedUpstreamAndAnsweredOnlyOnRelease() throws Exception {
        ClickHouseGate.Hold hold = gate.holdInsert("db._stage_events", 2);
        assertEquals(200, post(insertUri("db._stage_events"), new byte[] {1}).get(1, TimeUnit.MINUTES).statusCode());
        CompletableFuture<HttpResponse<byte[]>> second = post(insertUri("db._stage_events"), new byte[] {2});
        hold.awaitHeld(WAIT);
        assertEquals(2, received.size(), "ClickHouse has it");
        assertArrayEquals(new byte[] {2}, received.get(1).body());
        assertEquals(200, hold.status());
        assertFalse(second.isDone(), "the loader has no answer while held");
        // other requests pass meanwhile
        assertEquals(200, post("/", "SELECT 1".getBytes(StandardCharsets.UTF_8)).get(1, TimeUnit.MINUTES).statusCode());
        assertEquals(200, post(insertUri("db.events"), new byte[] {3}).get(1, TimeUnit.MINUTES).statusCode());
        assertFalse(second.isDone());
        hold.release();
        assertEquals(200, second.get(1, TimeUnit.MINUTES).statusCode());
        assertEquals(200, post(insertUri("db._stage_events"), new byte[] {4}).get(1, TimeUnit.MINUTES).statusCode(), "only the 2nd is held");
        assertEquals(3, gate.inserts("db._stage_events"));
        assertThrows(IllegalStateException.class, () -> gate.holdInsert("db._stage_events", 3), "that INSERT is past");
    }

    @Test
    void anActionRunsAfterTheAcknowledgementAndBeforeTheAnswer() throws Exception {
        AtomicInteger upstreamSawIt = new AtomicInteger(-1);
        AtomicBoolean answeredBefore = new AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicReference<CompletableFuture<HttpResponse<byte[]>>> insert = new java.util.concurrent.atomic.AtomicReference<>();
        ClickHouseGate.Trigger trigger = gate.onInsertAcknowledged("db.t", 1, () -> {
            upstreamSawIt.set(received.size());
            answeredBefore.set(insert.get() != null && insert.get().isDone());
        });
        insert.set(post(insertUri("db.t"), new byte[] {9}));
        assertEquals(200, insert.get().get(1, TimeUnit.MINUTES).statusCode());
        trigger.awaitDone(WAIT);
        assertEquals(1, upstreamSawIt.get());
        assertFalse(answeredBefore.get());
    }

    @Test
    void anUnreachableClickHouseClosesTheConnectionWithoutAnAnswer() throws Exception {
        ClickHouseGate.Hold hold = gate.holdInsert("db.t", 1);
        upstream.stop(0);
        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> post(insertUri("db.t"), new byte[] {1}).get(1, TimeUnit.MINUTES));
        assertTrue(e.getCause() instanceof IOException, e.toString());
        AssertionError why = assertThrows(AssertionError.class, () -> hold.awaitHeld(WAIT));
        assertTrue(why.getMessage().contains("did not reach ClickHouse"), why.getMessage());
        assertEquals(1, gate.failures().size(), gate.failures().toString());
    }
}
