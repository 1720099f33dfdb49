package org.appmetrica.loader.standalone;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every second, gives the C heap's free memory back to the system (the JVM's {@code System.trim_native_heap}, glibc's
 * {@code malloc_trim}). The JIT compilers' arenas reach about 40 MB at the start of a load and are freed at once, but
 * glibc keeps the pages: about 30 MB of a 1 M-row load's peak RSS of 245 MB (docs/performance.md). The same as
 * {@code -XX:TrimNativeHeapInterval=1000}, which JDK 17 has only as an experimental option; where the command is
 * missing (another JDK or C library) nothing is done.
 */
final class NativeHeapTrim {

    private static final Logger LOG = Logger.getLogger(NativeHeapTrim.class.getName());
    private static final String OPERATION = "systemTrimNativeHeap";

    private NativeHeapTrim() {
    }

    /**
     * Starts the trims on a daemon thread, for the life of the process. The JMX lookup is done there too, off the
     * command's own start; where the JVM has no such command the thread ends.
     */
    static void start() {
        ScheduledExecutorService thread = LoaderCli.threads(1, "native-heap-trim");
        ObjectName[] command = new ObjectName[1];
        thread.scheduleWithFixedDelay(() -> {
            try {
                MBeanServer server = ManagementFactory.getPlatformMBeanServer();
                if (command[0] == null) {
                    command[0] = new ObjectName("com.sun.management:type=DiagnosticCommand");
                    boolean known = false;
                    for (var op : server.getMBeanInfo(command[0]).getOperations()) {
                        known |= op.getName().equals(OPERATION);
                    }
                    if (!known) {
                        thread.shutdown();
                        return;
                    }
                }
                server.invoke(command[0], OPERATION, new Object[] {new String[0]}, new String[] {String[].class.getName()});
            } catch (Exception e) {
                LOG.log(Level.FINE, "trimming the native heap", e);
                thread.shutdown();
            }
        }, 1, 1, TimeUnit.SECONDS);
    }
}
