package org.appmetrica.loader.connection;

import org.appmetrica.loader.testing.MutableClock;
import org.appmetrica.loader.testing.TestRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionStoreTest {

    private String url;
    private MutableClock clock;
    private ConnectionStore store;

    @BeforeEach
    void freshDatabase() {
        // on PostgreSQL (-Drepository.url, the failsafe execution postgres) a fresh database per test
        url = TestRepository.postgres() ? TestRepository.url(Path.of("connections-" + UUID.randomUUID()))
                : "jdbc:h2:mem:connections-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        clock = new MutableClock(Instant.parse("2024-03-20T10:00:00Z"));
        store = new ConnectionStore(this::open, clock);
    }

    private java.sql.Connection open() throws SQLException {
        return TestRepository.postgres() ? DriverManager.getConnection(url, TestRepository.USER, TestRepository.PASSWORD)
                : DriverManager.getConnection(url, "sa", "");
    }

    @Test
    void addFindListAndNamesAreUnique() {
        Connection shop = Connections.oneTime("shop", "2024-03-01");
        assertTrue(store.add(shop));
        assertFalse(store.add(Connections.oneTime("shop", "2024-01-01")), "the name is taken");
        assertTrue(store.add(Connections.oneTime("another", "2024-03-01")));
        StoredConnection stored = store.find("shop").orElseThrow();
        assertEquals(shop, stored.connection());
        assertFalse(stored.paused());
        assertNull(stored.lastExecution());
        assertEquals(Instant.parse("2024-03-20T10:00:00Z"), stored.created());
        assertEquals(List.of("another", "shop"), store.list().stream().map(StoredConnection::name).toList());
        assertTrue(store.find("nosuch").isEmpty());
    }

    @Test
    void editsPausesRunsAndDeletesSurviveANewStore() {
        store.add(Connections.oneTime("shop", "2024-03-01"));
        clock.advance(Duration.ofHours(1));
        assertTrue(store.replace(Connections.oneTime("shop", "2024-02-01")));
        assertTrue(store.setPaused("shop", true));
        assertTrue(store.recordRun("shop", 42));
        assertFalse(store.replace(Connections.oneTime("nosuch", "2024-02-01")));

        // another process: a new store over the same database
        ConnectionStore again = new ConnectionStore(this::open, clock);
        StoredConnection s = again.find("shop").orElseThrow();
        assertEquals("2024-02-01", s.connection().loadFrom());
        assertTrue(s.paused());
        assertEquals(42L, s.lastExecution());
        assertEquals(Instant.parse("2024-03-20T11:00:00Z"), s.updated());
        assertEquals(Instant.parse("2024-03-20T10:00:00Z"), s.created());

        assertTrue(again.delete("shop"));
        assertFalse(again.delete("shop"));
        assertTrue(store.list().isEmpty());
    }
}
