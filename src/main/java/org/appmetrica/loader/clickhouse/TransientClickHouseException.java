package org.appmetrica.loader.clickhouse;

/** A ClickHouse failure that may pass: the server was unreachable, restarting, overloaded or timed out. */
public class TransientClickHouseException extends ClickHouseException {

    public TransientClickHouseException(String message, Throwable cause) {
        super(message, cause);
    }
}
