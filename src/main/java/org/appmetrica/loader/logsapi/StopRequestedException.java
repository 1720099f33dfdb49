package org.appmetrica.loader.logsapi;

/** The job was asked to stop while this export was waiting in the API queue. */
public class StopRequestedException extends RuntimeException {

    public StopRequestedException(String message) {
        super(message);
    }
}
