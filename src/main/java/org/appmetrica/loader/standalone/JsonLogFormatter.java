package org.appmetrica.loader.standalone;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.appmetrica.loader.admin.SecretMask;
import org.appmetrica.loader.model.SliceState;
import org.jberet.creation.ArtifactCreationContext;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One JSON object a line per log record, for log shippers: time, level, logger, message and, where the event has them,
 * execution, slice (application/source/day), state, rows, bytes, durationMillis and error. The progress lines stay
 * written for people (their wording is the data path's); the fields are read from them here, so no log call changes. A
 * {@code Map} among a record's parameters adds fields of its own. Text goes through {@link SecretMask}.
 */
public final class JsonLogFormatter extends Formatter {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** An export or slice as the progress lines name it: "app 815 events 2024-07-05[..2024-07-06][ part 1/2]". */
    private static final Pattern SLICE = Pattern.compile("^app (\\d+) ([a-z_]+)(?: (\\d{4}-\\d{2}-\\d{2})(?:\\.\\.(\\d{4}-\\d{2}-\\d{2}))?)?(?: part \\d+/\\d+)?: ");
    private static final Pattern RETRY = Pattern.compile(": retry (\\d+) after (.*)$", Pattern.DOTALL);
    private static final Pattern DOWNLOADED = Pattern.compile(": downloaded (\\d+) bytes in (\\d+) ms");
    private static final Pattern LOADED = Pattern.compile(": loaded (\\d+) rows into ");
    private static final Pattern QUEUED = Pattern.compile(": waiting in the API queue(?: \\((\\d+)%\\))?");
    private static final Pattern ENDED = Pattern.compile("^execution (\\d+) ended: ([A-Z]+)(?: in ([\\d.]+) s)?(?:, (\\d+) rows written)?(?: \\((.*)\\))?$",
            Pattern.DOTALL);

    /** The execution of this process's run, for events logged where JBeret has no job context (null: none). */
    private static volatile Long execution;

    static void execution(long id) {
        execution = id;
    }

    /**
     * The execution whose batch artifact logs on this thread: JBeret keeps the job context of the last artifact it
     * created per thread, and a partition creates its reader and writer before they log. So the console, which runs
     * several executions at once, names the right one.
     */
    private static Long currentExecution() {
        try {
            ArtifactCreationContext c = ArtifactCreationContext.getCurrentArtifactCreationContext();
            if (c != null && c.getJobContext() != null) {
                return c.getJobContext().getExecutionId();
            }
        } catch (LinkageError | RuntimeException e) {
            // not on JBeret: the run's execution, if any
        }
        return execution;
    }

    @Override
    public String format(LogRecord r) {
        String message = SecretMask.text(formatMessage(r));
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("time", Instant.ofEpochMilli(r.getMillis()).toString());
        e.put("level", r.getLevel().getName());
        e.put("logger", r.getLoggerName());
        e.put("execution", currentExecution());
        fields(message, e);
        if (r.getLevel().intValue() >= Level.WARNING.intValue() && !e.containsKey("error")) {
            e.put("error", message);
        }
        if (r.getThrown() != null) {
            e.put("error", SecretMask.text(String.valueOf(r.getThrown())));
        }
        if (r.getParameters() != null) {
            for (Object p : r.getParameters()) {
                if (p instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> e.put(String.valueOf(k), v instanceof String s ? SecretMask.text(s) : v));
                }
            }
        }
        e.put("message", message);
        e.values().removeIf(v -> v == null);
        try {
            return JSON.writeValueAsString(e) + System.lineSeparator();
        } catch (JsonProcessingException x) {
            return "{\"level\":\"SEVERE\",\"message\":\"log record not writable as JSON\"}" + System.lineSeparator();
        }
    }

    /** The fields a progress line carries in its wording. */
    static void fields(String message, Map<String, Object> e) {
        Matcher m = ENDED.matcher(message);
        if (m.find()) {
            e.put("execution", Long.parseLong(m.group(1)));
            e.put("state", m.group(2));
            if (m.group(3) != null) {
                e.put("durationMillis", Math.round(Double.parseDouble(m.group(3)) * 1000));
            }
            if (m.group(4) != null) {
                e.put("rows", Long.parseLong(m.group(4)));
            }
            if (m.group(5) != null && !"COMPLETED".equals(m.group(2))) {
                e.put("error", m.group(5));
            }
            return;
        }
        m = SLICE.matcher(message);
        if (!m.find()) {
            return;
        }
        e.put("slice", m.group(1) + "/" + m.group(2) + "/" + (m.group(3) == null ? "-" : m.group(3) + (m.group(4) == null ? "" : ".." + m.group(4))));
        e.put("application", Long.parseLong(m.group(1)));
        e.put("source", m.group(2));
        e.put("day", m.group(3));
        String rest = message.substring(m.end() - 2);
        if ((m = DOWNLOADED.matcher(rest)).find()) {
            e.put("state", "downloaded");
            e.put("bytes", Long.parseLong(m.group(1)));
            e.put("durationMillis", Long.parseLong(m.group(2)));
        } else if ((m = LOADED.matcher(rest)).find()) {
            e.put("state", "loaded");
            e.put("rows", Long.parseLong(m.group(1)));
        } else if ((m = RETRY.matcher(rest)).find()) {
            e.put("state", SliceState.RETRYING.toString());
            e.put("attempt", Integer.parseInt(m.group(1)));
            e.put("error", m.group(2));
        } else if ((m = QUEUED.matcher(rest)).find()) {
            e.put("state", SliceState.QUEUED.toString());
            e.put("apiProgress", m.group(1) == null ? null : Integer.parseInt(m.group(1)));
        } else if (rest.startsWith(": requested")) {
            e.put("state", SliceState.REQUESTED.toString());
        } else if (rest.contains("queue of this application is full")) {
            e.put("state", SliceState.RATE_LIMITED.toString());
        } else if (rest.contains("published before the restart")) {
            e.put("state", SliceState.PUBLISHED.toString());
        }
    }
}
