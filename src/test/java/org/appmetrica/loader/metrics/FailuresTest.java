package org.appmetrica.loader.metrics;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailuresTest {

    /** The narrowest EXITSTATUS column of JBeret's own DDL, read from the jar the product runs with. */
    private static int exitStatusColumn() throws IOException {
        try (InputStream in = org.jberet.repository.JdbcRepository.class.getClassLoader().getResourceAsStream("sql/jberet.ddl")) {
            String ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("(?i)EXITSTATUS\\s+VARCHAR\\((\\d+)\\)").matcher(ddl);
            int narrowest = Integer.MAX_VALUE;
            while (m.find()) {
                narrowest = Math.min(narrowest, Integer.parseInt(m.group(1)));
            }
            assertTrue(narrowest < Integer.MAX_VALUE, "no EXITSTATUS column in jberet.ddl");
            return narrowest;
        }
    }

    @Test
    void aLongReasonFitsTheRepositorysExitStatusColumn() throws IOException {
        String reason = Failures.reason(new IllegalStateException("ClickHouse said: " + "x ".repeat(3000)));
        assertTrue(reason.length() <= exitStatusColumn(), reason.length() + " characters");
        assertTrue(reason.startsWith("FAILED: ClickHouse said: x x"), reason);
        assertTrue(reason.endsWith("…"), reason);
    }

    @Test
    void aShortReasonIsKeptWhole() {
        assertEquals("FAILED: port 8123 refused", Failures.reason(new RuntimeException("port  8123\nrefused")));
        assertEquals("FAILED: IllegalStateException", Failures.reason(new IllegalStateException()));
    }
}
