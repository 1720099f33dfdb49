package org.appmetrica.loader.logsapi;

import java.time.Duration;

/** Waiting, replaceable in tests. */
@FunctionalInterface
public interface Sleeper {

    Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
