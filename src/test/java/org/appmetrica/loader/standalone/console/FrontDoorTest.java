package org.appmetrica.loader.standalone.console;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrontDoorTest {

    @Test
    void hostHeaders() {
        Set<String> names = Set.of("localhost", "loader.example");
        for (String ok : new String[] {"127.0.0.1:8085", "127.0.0.1", "localhost:8085", "LOCALHOST", "10.1.2.3:80", "[::1]:8085", "[::1]",
                "loader.example:8085"}) {
            assertTrue(FrontDoor.hostAllowed(ok, names), ok);
        }
        for (String bad : new String[] {"evil.example:8085", "evil.example", "127.0.0.1.nip.io:8085", "localhost.evil.example",
                "[::1]x", "localhost:80:80", "999.1.1.1", ""}) {
            assertFalse(FrontDoor.hostAllowed(bad, names), bad);
        }
    }
}
