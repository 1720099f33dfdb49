package org.appmetrica.loader.simulator;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/** One HTTP answer of the simulator, sent after the request was recorded. */
abstract class Answer {

    static final String TEXT_PLAIN = "text/plain; charset=utf-8";
    static final String APPLICATION_JSON = "application/json; charset=utf-8";

    final int status;
    /** A 202 of a hold ({@link LogsApiSimulator#holdExports}). */
    boolean held;

    Answer(int status) {
        this.status = status;
    }

    Answer held() {
        held = true;
        return this;
    }

    /** Sends the answer; {@code redact} removes secrets from any text before it leaves. */
    abstract void send(HttpExchange ex, UnaryOperator<String> redact) throws IOException;

    static Answer text(int status, String body) {
        return new Text(status, TEXT_PLAIN, body);
    }

    static Answer json(int status, String body) {
        return new Text(status, APPLICATION_JSON, body);
    }

    private static final class Text extends Answer {
        private final String contentType;
        private final String body;

        Text(int status, String contentType, String body) {
            super(status);
            this.contentType = contentType;
            this.body = body;
        }

        @Override
        void send(HttpExchange ex, UnaryOperator<String> redact) throws IOException {
            byte[] bytes = redact.apply(body).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
