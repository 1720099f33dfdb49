package org.appmetrica.loader.logsapi;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Watches for a stop while a thread is blocked in a read from the Logs API, and then aborts the request: a read
 * waits for the server, and only closing its socket ends it. One shared daemon thread, gone when nothing is watched.
 */
final class StopWatch implements AutoCloseable {

    private static final long PERIOD_MILLIS = 250;
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final ScheduledFuture<?> task;

    private StopWatch(ScheduledFuture<?> task) {
        this.task = task;
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "logs-api-stop-watch");
            t.setDaemon(true);
            return t;
        });
        timer.setKeepAliveTime(10, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** Aborts {@code transport}'s request once {@code stop} answers true; until {@link #close()}. */
    static StopWatch abortOnStop(BooleanSupplier stop, LogsApiTransport transport) {
        return new StopWatch(TIMER.scheduleWithFixedDelay(() -> {
            try {
                if (stop.getAsBoolean()) {
                    transport.abort();
                }
            } catch (RuntimeException e) {
                // the repository may be busy: asked again next period
            }
        }, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS));
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
