package org.appmetrica.loader.testing;

import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.simulator.LogsApiSimulator;
import org.appmetrica.loader.simulator.SimulatorConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Objects;

/**
 * The set-up of a test that loads: a Logs API simulator on 127.0.0.1 and a connection to the real ClickHouse (see
 * {@link TestClickHouse}), for the whole test class, and a fresh database whenever a test asks for one. Register it on
 * a static field:
 * <pre>{@code
 * @RegisterExtension
 * static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(TOKEN, ROWS_PER_DAY, SEED);
 * }</pre>
 * Before each test the simulator is without faults again (no failing, dropped or truncated answers, no held exports),
 * whatever the test before it left; the requests it recorded are kept.
 */
public final class SimulatorAndClickHouse implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private final SimulatorConfig config;
    private LogsApiSimulator simulator;
    private ClickHouseConnection clickhouse;

    private SimulatorAndClickHouse(SimulatorConfig config) {
        this.config = Objects.requireNonNull(config);
    }

    /** A simulator of this configuration. */
    public static SimulatorAndClickHouse of(SimulatorConfig config) {
        return new SimulatorAndClickHouse(config);
    }

    /** The usual simulator: the token, rows per (application, source, day), the seed, exports ready at the second poll. */
    public static SimulatorAndClickHouse of(String token, int rowsPerDay, long seed) {
        return of(SimulatorConfig.defaults(token).withRowsPerDay(rowsPerDay).withReadyAfter(1).withSeed(seed));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        simulator = new LogsApiSimulator(config).start();
        clickhouse = TestClickHouse.connect();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        simulator.failNextRequests(0, 503);
        simulator.dropNextDownloads(0, 0);
        simulator.truncateNextDownloads(0, 0);
        simulator.releaseHeld();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (simulator != null) {
                simulator.close();
            }
        } finally {
            if (clickhouse != null) {
                clickhouse.close();
            }
        }
    }

    public LogsApiSimulator simulator() {
        return requireStarted(simulator);
    }

    /** The simulator's base URL: the job parameter apiUrl. */
    public String apiUrl() {
        return simulator().baseUrl();
    }

    /** The connection to the real ClickHouse, open for the test class. */
    public ClickHouseConnection clickhouse() {
        return requireStarted(clickhouse);
    }

    /** Drops the database and creates it again, empty; returns its name. */
    public String freshDatabase(String database) {
        TestClickHouse.recreate(clickhouse(), database);
        return database;
    }

    private static <T> T requireStarted(T value) {
        if (value == null) {
            throw new IllegalStateException("SimulatorAndClickHouse runs from beforeAll to afterAll: register it on a static field");
        }
        return value;
    }
}
