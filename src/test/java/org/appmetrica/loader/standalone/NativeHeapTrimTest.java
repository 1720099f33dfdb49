package org.appmetrica.loader.standalone;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeHeapTrimTest {

    /** The JDK the loader is built and tested with has the command, and the call reaches it (a wrong signature fails). */
    @Test
    void theJvmTrimsItsCHeapWhenAsked() throws Exception {
        assertTrue(NativeHeapTrim.available(), "no System.trim_native_heap in this JVM");
        String report = NativeHeapTrim.trim();
        assertNotNull(report);
        assertTrue(report.contains("RSS") || report.toLowerCase().contains("trim"), report);
    }
}
