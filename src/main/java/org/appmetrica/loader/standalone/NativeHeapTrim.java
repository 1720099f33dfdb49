package org.appmetrica.loader.standalone;

import javax.management.JMException;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every second, gives the C heap's free memory back to the system (the JVM's {@code System.trim_native_heap}, glibc's
 * {@code malloc_trim}). The JIT compilers' arenas reach about 40 MB at the start of a load and are freed at once, but
 * glibc keeps the pages: about 30 MB of a 1 M-row load's peak RSS (docs/performance.md). The same as
 * {@code -XX:TrimNativeHeapInterval=1000}, which JDK 17 has only as an experimental option; where the command is
 * missing (another JDK) the thread ends after one look.
 */
final class NativeHeapTrim {

    private static final Logger LOG = Logger.getLogger(NativeHeapTrim.class.getName());
    private static final String OPERATION = "systemTrimNativeHeap";
    private static final ObjectName COMMANDS = commands();

    private NativeHeapTrim() {
    }

    private static ObjectName commands() {
        try {
            return new ObjectName("com.sun.management:type=DiagnosticCommand");
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts the trims on a daemon thread for the life of the process, the first after a second. The command is
     * called without looking it up first (the look-up describes every diagnostic command: CPU at the start); where
     * it fails (another JDK) the trims end.
     */
    static void start() {
        ScheduledExecutorService thread = LoaderCli.threads(1, "native-heap-trim");
        thread.scheduleWithFixedDelay(() -> {
            try {
                trim();
            } catch (JMException | RuntimeException e) {
                LOG.log(Level.FINE, "trimming the native heap: no more trims", e);
                thread.shutdown();
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    /** Whether this JVM has the command. */
    static boolean available() throws JMException {
        for (var op : ManagementFactory.getPlatformMBeanServer().getMBeanInfo(COMMANDS).getOperations()) {
            if (op.getName().equals(OPERATION)) {
                return true;
            }
        }
        return false;
    }

    /** Trims once; the command's report. */
    static String trim() throws JMException {
        return String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(COMMANDS, OPERATION, new Object[] {new String[0]},
                new String[] {String[].class.getName()}));
    }
}
