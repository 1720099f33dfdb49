package org.appmetrica.loader.standalone;

import jakarta.batch.runtime.BatchStatus;

/** The CLI's exit codes, for every command: 0 COMPLETED, 1 FAILED (or ABANDONED), 2 bad arguments or parameters, 3 STOPPED. */
final class ExitCodes {

    static final int COMPLETED = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int STOPPED = 3;

    private ExitCodes() {
    }

    /** The exit code of a load that ended with this status. */
    static int of(BatchStatus status) {
        return status == BatchStatus.COMPLETED ? COMPLETED : status == BatchStatus.STOPPED ? STOPPED : FAILED;
    }
}
