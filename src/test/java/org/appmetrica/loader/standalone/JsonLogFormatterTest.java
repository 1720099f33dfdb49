package org.appmetrica.loader.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonLogFormatterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode format(Level level, String message, Object... parameters) throws Exception {
        LogRecord r = new LogRecord(level, message);
        r.setLoggerName("org.appmetrica.loader.progress");
        r.setParameters(parameters.length == 0 ? null : parameters);
        String line = new JsonLogFormatter().format(r);
        assertTrue(line.endsWith(System.lineSeparator()) && line.indexOf('\n') == line.length() - 1, "one line: " + line);
        return JSON.readTree(line);
    }

    @Test
    void progressLinesBecomeFields() throws Exception {
        JsonNode d = format(Level.INFO, "app 815 events 2024-07-05: downloaded 29444 bytes in 20 ms, loading");
        assertEquals("815/events/2024-07-05", d.get("slice").asText());
        assertEquals(815, d.get("application").asLong());
        assertEquals("downloaded", d.get("state").asText());
        assertEquals(29444, d.get("bytes").asLong());
        assertEquals(20, d.get("durationMillis").asLong());

        JsonNode l = format(Level.INFO, "app 815 installations 2024-07-05: loaded 120 rows into `db`.`installations`");
        assertEquals("loaded", l.get("state").asText());
        assertEquals(120, l.get("rows").asLong());

        JsonNode q = format(Level.INFO, "app 1 events 2024-07-01..2024-07-03 part 2/4: waiting in the API queue (40%): queued");
        assertEquals("1/events/2024-07-01..2024-07-03", q.get("slice").asText());
        assertEquals(40, q.get("apiProgress").asInt());

        JsonNode r = format(Level.WARNING, "app 815 events 2024-07-05: retry 2 after HTTP 503 busy");
        assertEquals("retrying", r.get("state").asText());
        assertEquals("HTTP 503 busy", r.get("error").asText());

        JsonNode e = format(Level.INFO, "execution {0} ended: {1}{2}{3}", "7", "FAILED", " in 3 s, 0 rows written", " (FAILED: HTTP 400)");
        assertEquals(7, e.get("execution").asLong());
        assertEquals("FAILED", e.get("state").asText());
        assertEquals(3000, e.get("durationMillis").asLong());
        assertEquals("FAILED: HTTP 400", e.get("error").asText());

        JsonNode plain = format(Level.INFO, "console: admin started execution 3");
        assertFalse(plain.has("slice") || plain.has("state"), plain.toString());
        assertEquals(7, format(Level.INFO, "custom", Map.of("execution", 7, "state", "x")).get("execution").asLong(), "fields as a parameter");
    }

    @Test
    void secretsInMessagesAndErrorsAreMasked() throws Exception {
        String line = format(Level.SEVERE, "request failed: Authorization: OAuth AQAAAAAsecret123 to http://user:pa55word@host:8123/?password=hunter2")
                .toString();
        assertFalse(line.contains("AQAAAAAsecret123") || line.contains("pa55word") || line.contains("hunter2"), line);
        LogRecord r = new LogRecord(Level.SEVERE, "boom");
        r.setThrown(new IllegalStateException("token=abcdef123456 refused"));
        assertFalse(new JsonLogFormatter().format(r).contains("abcdef123456"));
    }
}
