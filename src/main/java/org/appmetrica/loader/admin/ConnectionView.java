package org.appmetrica.loader.admin;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.connection.Connection;
import org.appmetrica.loader.connection.StoredConnection;

/**
 * A connection as the REST API and the CLI's {@code --json} show it: its definition (the connection's own JSON) and
 * after it the read-only fields, which {@link Connection#fromJson} ignores, so that a shown connection can be sent back.
 *
 * @param reason   why it failed or stopped; absent otherwise
 * @param lastRun  its newest execution, or null
 * @param nextRun  its next scheduled run (ISO instant), or null: nothing schedules it here
 * @param covers   the days loaded (from the target's {@code _load_state}), or null: none recorded, or not readable now
 * @param progress while it loads: the slices of its execution done so far
 */
public record ConnectionView(@JsonUnwrapped Connection connection, ConnectionState state,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String reason, LastRun lastRun, String nextRun, Covers covers,
                             Progress progress) {

    public record LastRun(long executionId, BatchStatus status, String ended) {
    }

    public record Covers(String from, String to) {
    }

    public record Progress(int slicesDone, int slicesTotal) {
    }

    /** The view of a stored connection whose newest execution is {@code last} (null: none), without nextRun and progress. */
    static ConnectionView of(StoredConnection s, JobExecution last, Covers covers) {
        ConnectionState state;
        String reason = null;
        if (s.paused()) {
            state = ConnectionState.PAUSED;
        } else if (last == null) {
            state = ConnectionState.NEW;
        } else {
            BatchStatus status = last.getBatchStatus();
            switch (status) {
                case COMPLETED -> state = ConnectionState.UP_TO_DATE;
                case STARTING, STARTED -> state = ConnectionState.LOADING;
                case STOPPING, STOPPED -> {
                    state = ConnectionState.STOPPED;
                    reason = "execution " + last.getExecutionId() + " was stopped; restart it to continue";
                }
                default -> {
                    state = ConnectionState.FAILED;
                    String exit = last.getExitStatus();
                    reason = exit == null || exit.equals(String.valueOf(status)) ? String.valueOf(status)
                            : exit.startsWith("FAILED: ") ? exit.substring("FAILED: ".length()) : exit;
                }
            }
        }
        LastRun lastRun = last == null ? null : new LastRun(last.getExecutionId(), last.getBatchStatus(),
                last.getEndTime() == null ? null : last.getEndTime().toInstant().toString());
        return new ConnectionView(s.connection(), state, reason, lastRun, null, covers, null);
    }

    ConnectionView with(String newNextRun, Progress newProgress) {
        return new ConnectionView(connection, state, reason, lastRun, newNextRun, covers, newProgress);
    }

    @JsonIgnore
    public String name() {
        return connection.name();
    }

    /** Its execution is starting or running. */
    @JsonIgnore
    boolean running() {
        return lastRun != null && (lastRun.status() == BatchStatus.STARTING || lastRun.status() == BatchStatus.STARTED);
    }
}
