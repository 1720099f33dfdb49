package org.appmetrica.loader.standalone;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Progress lines on standard output, library noise (Weld, JBeret start-up) only from WARNING up, on standard error;
 * as lines for people, or (json) as one JSON object a line for log shippers.
 */
final class ConsoleLogging {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    /** Held strongly: java.util.logging keeps loggers weakly and would drop our configuration. */
    private static final Logger PROGRESS = Logger.getLogger("org.appmetrica.loader.progress");
    private static final Logger ROOT = Logger.getLogger("");
    /** "execution N ended: …" (job/ExecutionEndListener): for people the run's summary says it, for machines this event. */
    private static final Logger END = Logger.getLogger("org.appmetrica.loader.end");
    /**
     * JBeret's own lines ("JBERET000001: Failed to run batchlet …", a failed chunk's item-count settings) repeat what
     * the run's failure reason says, in the runtime's words: shown only with -Dappmetrica.debug=true.
     */
    private static final Logger JBERET = Logger.getLogger("org.jberet");
    /** The ClickHouse client's retry warnings: the loader's own failure reason names their root cause. */
    private static final Logger CLICKHOUSE_CLIENT = Logger.getLogger("com.clickhouse");

    private ConsoleLogging() {
    }

    static void install(PrintStream out, boolean json) {
        Formatter format = json ? new JsonLogFormatter() : new Line();
        LogManager.getLogManager().reset();
        Logger root = ROOT;
        root.setLevel(Level.WARNING);
        Handler err = new ConsoleHandler();
        err.setLevel(Level.WARNING);
        err.setFormatter(format);
        root.addHandler(err);
        Logger progress = PROGRESS;
        progress.setLevel(Level.INFO);
        progress.setUseParentHandlers(false);
        StreamHandler handler = new StreamHandler(out, format) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }
        };
        handler.setLevel(Level.INFO);
        progress.addHandler(handler);
        JBERET.setLevel(Boolean.getBoolean("appmetrica.debug") ? Level.FINE : Level.OFF);
        CLICKHOUSE_CLIENT.setLevel(Boolean.getBoolean("appmetrica.debug") ? Level.FINE : Level.SEVERE);
        END.setUseParentHandlers(!json);
        END.setLevel(json ? Level.INFO : null);
        if (json) {
            END.addHandler(handler);
        }
    }

    private static final class Line extends Formatter {
        @Override
        public String format(LogRecord r) {
            String text = LocalTime.now().format(TIME) + " " + (r.getLevel().intValue() >= Level.WARNING.intValue() ? r.getLevel() + " " : "")
                    + formatMessage(r) + System.lineSeparator();
            if (r.getThrown() != null && r.getLevel().intValue() >= Level.SEVERE.intValue()) {
                text += "  " + r.getThrown() + System.lineSeparator();
            }
            return text;
        }
    }
}
