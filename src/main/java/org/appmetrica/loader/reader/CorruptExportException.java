package org.appmetrica.loader.reader;

import org.appmetrica.loader.metrics.KindOfFailure;

import java.io.IOException;

/**
 * A spooled export file does not parse (truncated, malformed, invalid UTF-8). The spool is deleted before this is
 * thrown, so the chunk retry (declared in the job XML) or a restart downloads the export again; if its bytes differ
 * from what was loaded so far, the slice is reloaded from its first row.
 */
public class CorruptExportException extends IOException implements KindOfFailure {

    public CorruptExportException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String failureKind() {
        return "corrupt_export";
    }
}
