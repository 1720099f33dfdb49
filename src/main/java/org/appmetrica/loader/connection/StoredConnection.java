package org.appmetrica.loader.connection;

import java.time.Instant;

/** A connection as stored, with its state: paused, when created and last edited, its last execution (null: never ran). */
public record StoredConnection(Connection connection, boolean paused, Instant created, Instant updated, Long lastExecution) {

    public String name() {
        return connection.name();
    }
}
