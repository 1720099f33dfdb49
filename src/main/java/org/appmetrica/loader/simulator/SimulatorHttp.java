package org.appmetrica.loader.simulator;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The simulator's HTTP front: records every request, applies injected failures and authentication, routes to the
 * export or management endpoints, and never echoes a token in an answer.
 */
final class SimulatorHttp {

    private final SimulatorConfig config;
    private final Faults faults;
    private final ExportEndpoint exports;
    private final ManagementApi management;
    private final ExportQueue queue;
    private final BooleanSupplier closed;
    private final List<RecordedRequest> requests = new ArrayList<>();

    SimulatorHttp(SimulatorConfig config, Faults faults, ExportEndpoint exports, ManagementApi management,
                  ExportQueue queue, BooleanSupplier closed) {
        this.config = config;
        this.faults = faults;
        this.exports = exports;
        this.management = management;
        this.queue = queue;
        this.closed = closed;
    }

    /** Every request received so far, in order. */
    List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    void handle(HttpExchange ex) {
        String method = ex.getRequestMethod();
        URI uri = ex.getRequestURI();
        String path = uri.getPath() == null ? "" : uri.getPath();
        String authorization = ex.getRequestHeaders().getFirst("Authorization");
        String cacheControl = ex.getRequestHeaders().getFirst("Cache-Control");
        Map<String, String> query = new LinkedHashMap<>();
        String duplicate = parseQuery(uri.getRawQuery(), query);
        Map<String, String> recordedQuery = Collections.unmodifiableMap(new LinkedHashMap<>(query));
        Answer answer;
        try {
            answer = route(ex, method, path, query, duplicate, authorization, cacheControl);
        } catch (RuntimeException | IOException e) {
            answer = Answer.text(500, "Internal server error.");
        }
        RecordedRequest recorded = new RecordedRequest(method, path, recordedQuery, authorization, cacheControl,
                answer.status);
        synchronized (requests) {
            requests.add(recorded);
        }
        if (answer.held) { // recorded before the answer goes out, as every request is: a client never sees it first
            queue.recordHeld(recorded);
        }
        try {
            answer.send(ex, text -> redact(text, authorization));
        } catch (IOException e) {
            // the client went away
        } finally {
            ex.close();
        }
    }

    private Answer route(HttpExchange ex, String method, String path, Map<String, String> query, String duplicate,
                         String authorization, String cacheControl) throws IOException {
        boolean export = path.startsWith(ExportEndpoint.PREFIX);
        if (closed.getAsBoolean()) {
            return Answer.text(503, "Service unavailable.");
        }
        int failure = export ? faults.takeFailure() : 0;
        if (failure != 0) {
            return Answer.text(failure, failure >= 500 ? "Internal server error. Try again later." : "Simulated error.");
        }
        int random = faults.randomFailure();
        if (random != 0) {
            return Answer.text(random, "Internal server error. Try again later.");
        }
        boolean managementPath = path.startsWith("/management/");
        if (!method.equals("GET")) {
            return managementPath ? ManagementApi.error(405, "method_not_allowed", "Only GET is supported.")
                    : Answer.text(405, "Method not allowed: only GET is supported.");
        }
        Set<Long> access = access(authorization);
        if (access == null) {
            String message = authorization == null
                    ? "Unauthorized: the header Authorization: OAuth <token> is required."
                    : "Unauthorized: the OAuth token is invalid.";
            return managementPath ? ManagementApi.error(401, "unauthorized", message) : Answer.text(401, message);
        }
        if (export) {
            return exports.export(path, query, duplicate, access, cacheControl,
                    ex.getRequestHeaders().getFirst("Accept-Encoding"));
        }
        if (managementPath) {
            return management.answer(path, access);
        }
        return Answer.text(404, "Not found.");
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

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    static void shutdown(ExecutorService executor) {
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
}
