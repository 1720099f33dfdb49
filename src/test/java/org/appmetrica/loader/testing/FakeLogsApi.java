package org.appmetrica.loader.testing;

import org.appmetrica.loader.logsapi.ApiResponse;
import org.appmetrica.loader.logsapi.ExportFetcher;
import org.appmetrica.loader.logsapi.ExportRequest;
import org.appmetrica.loader.logsapi.LogsApiTransport;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * The Logs API without HTTP: scripted answers first, then a default answer per request. Records every request with
 * its no-cache flag, the tokens transports were opened with, and how many transports are still open.
 */
public final class FakeLogsApi implements ExportFetcher.TransportFactory {

    public static final String MORE_PARTS = "Try to use more parts.";

    /** One request as the loader sent it. */
    public record Call(ExportRequest request, boolean noCache) {
    }

    private final Deque<Function<ExportRequest, ApiResponse>> script = new ArrayDeque<>();
    private Function<ExportRequest, ApiResponse> otherwise = r -> {
        throw new AssertionError("unexpected request for " + r.describe());
    };
    private final List<Call> calls = new ArrayList<>();
    private final List<String> tokens = new ArrayList<>();
    private int open;

    public static ApiResponse ok(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new ApiResponse(200, null, new ByteArrayInputStream(bytes), bytes.length, null);
    }

    public static ApiResponse queued(int percent) {
        return ApiResponse.text(202, "Your query is added to the queue. Progress is " + percent + "%");
    }

    public static ApiResponse moreParts() {
        return ApiResponse.text(400, MORE_PARTS);
    }

    /** Answers the next request (after those scripted before) with {@code answer}. */
    public synchronized FakeLogsApi then(ApiResponse answer) {
        script.add(r -> answer);
        return this;
    }

    /** Answers every request not scripted. */
    public synchronized FakeLogsApi otherwise(Function<ExportRequest, ApiResponse> answer) {
        otherwise = answer;
        return this;
    }

    /** Serves every request not scripted at once (200) with the file {@code files} renders for it. */
    public FakeLogsApi serving(Function<ExportRequest, String> files) {
        return otherwise(r -> ok(files.apply(r)));
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<String> tokens() {
        return List.copyOf(tokens);
    }

    /** Transports opened and not closed. */
    public synchronized int openTransports() {
        return open;
    }

    @Override
    public synchronized LogsApiTransport open(String apiUrl, String token) {
        tokens.add(token);
        open++;
        return new LogsApiTransport() {
            @Override
            public ApiResponse get(ExportRequest request, boolean noCache) {
                return answer(request, noCache);
            }

            @Override
            public void close() {
                closed();
            }
        };
    }

    private synchronized ApiResponse answer(ExportRequest request, boolean noCache) {
        calls.add(new Call(request, noCache));
        Function<ExportRequest, ApiResponse> next = script.poll();
        return (next == null ? otherwise : next).apply(request);
    }

    private synchronized void closed() {
        open--;
    }
}
