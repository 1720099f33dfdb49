package org.appmetrica.loader.admin;

import org.appmetrica.loader.connection.Connection;
import org.appmetrica.loader.connection.ConnectionStore;
import org.appmetrica.loader.regular.Scheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The console's one scheduler takes the connections when told to (start, create, resume, run), never as a side effect of a read. */
class ConnectionSchedulerTest {

    /** Holds every run a day back: the test sees what is scheduled, nothing runs. */
    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1) {
        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            return super.schedule(command, 1, TimeUnit.DAYS);
        }
    };

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private static Connection connection(String name, boolean regular) {
        return Connection.fromJson("{\"name\": \"" + name + "\", \"applications\": [702], \"sources\": {\"events\": {}}, \"loadFrom\": \"2024-01-01\", "
                + (regular ? "\"regularity\": \"regular\", \"schedule\": \"03:00\", \"timeZone\": \"UTC\", " : "\"regularity\": \"one-time\", ")
                + "\"target\": {\"url\": \"jdbc:clickhouse://127.0.0.1:1\", \"database\": \"sched\"}}").validated();
    }

    private static List<String> scheduled(Scheduler scheduler) {
        return scheduler.list().stream().map(s -> s.definition().name()).toList();
    }

    @Test
    void connectionsAreScheduledWhenTheConsoleSaysSo() {
        String url = "jdbc:h2:mem:scheduler-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        ConnectionStore store = new ConnectionStore(() -> DriverManager.getConnection(url, "sa", ""), Clock.systemUTC());
        store.add(connection("daily", true));
        store.add(connection("once", false));
        store.add(connection("held", true));
        store.setPaused("held", true);
        ConnectionService connections = new ConnectionService(store, () -> null, new Properties(), Clock.systemUTC());
        Scheduler scheduler = new Scheduler(() -> null, p -> 0L, executor, Clock.systemUTC(), line -> { });
        ConsoleServices services = ConsoleServices.of(() -> null, new ConsoleServices.Setup(new Properties(), AccessPolicy.unrestricted(),
                () -> { }, null, null, connections, scheduler));

        assertEquals(List.of("daily", "held", "once"), services.connections().list().stream().map(ConnectionView::name).sorted().toList());
        assertEquals(List.of(), scheduled(scheduler), "neither building the services nor listing schedules anything");
        assertEquals(true, services.catalog().regularLoads());

        services.scheduleConnections(); // the console starts
        assertEquals(List.of("daily", "once"), scheduled(scheduler), "every active connection, the paused one not");
        assertEquals(ConnectionState.NEW, services.connections().show("daily").state());
        assertNull(services.connections().show("once").nextRun(), "a one-time connection has no next run");

        services.connections().pause("daily");
        assertEquals(List.of("once"), scheduled(scheduler));
        services.connections().resume("held");
        assertEquals(List.of("held", "once"), scheduled(scheduler));
        services.shutdown();
        assertEquals(List.of(), scheduled(scheduler));
    }
}
