-- Which process restarts a crashed execution by itself (autoRestart): one claim per crashed execution.
CREATE TABLE IF NOT EXISTS APPMETRICA_RESTART_CLAIM (JOBEXECUTIONID BIGINT PRIMARY KEY, PROCESS_KEY VARCHAR(300) NOT NULL,
    CLAIMED TIMESTAMPTZ NOT NULL);
