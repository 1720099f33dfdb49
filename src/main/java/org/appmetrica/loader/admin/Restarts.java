package org.appmetrica.loader.admin;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;

/**
 * Which execution a restart continues: only the newest of a job instance can be restarted, so asking to restart an
 * older one continues the newest, if that one can be; else one plain sentence says why not.
 */
final class Restarts {

    private Restarts() {
    }

    static long target(JobOperator operator, long id) {
        BatchStatus asked = operator.getJobExecution(id).getBatchStatus();
        if (asked != BatchStatus.FAILED && asked != BatchStatus.STOPPED) {
            return id; // an abandoned or completed one: the restart's own check answers
        }
        long newest = id;
        for (JobExecution e : operator.getJobExecutions(operator.getJobInstance(id))) {
            newest = Math.max(newest, e.getExecutionId());
        }
        if (newest == id) {
            return id;
        }
        BatchStatus status = operator.getJobExecution(newest).getBatchStatus();
        if (status != BatchStatus.FAILED && status != BatchStatus.STOPPED) {
            throw AdminException.conflict("execution " + id + " cannot be restarted: it was restarted already, and the newest execution of "
                    + "its load, " + newest + ", is " + status);
        }
        return newest;
    }
}
