package org.appmetrica.loader.standalone.console;

import org.appmetrica.loader.admin.ConsoleServices;
import org.appmetrica.loader.admin.PasswordHash;
import org.appmetrica.loader.admin.UserStore;
import org.appmetrica.loader.security.Routes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A request body whose Content-Type is not JSON in UTF-8 (or names a charset that is none) is a 415, never a 500. */
class ContentTypeTest {

    @Test
    void aBodyThatIsNotJsonIsRefusedWith415() throws Exception {
        ConsoleServices service = ConsoleServices.of(() -> null, ConsoleServices.Setup.plain());
        UserStore users = UserStore.of(Map.of("ct-admin", PasswordHash.hash("ct-pw".toCharArray())));
        String basic = "Basic " + Base64.getEncoder().encodeToString("ct-admin:ct-pw".getBytes(StandardCharsets.UTF_8));
        try (ConsoleServer server = new ConsoleServer(service, users, "127.0.0.1", 0).start()) {
            for (String type : List.of("text/plain; charset=application/json", "application/json; charset=no-such-charset",
                    "application/json; charset=\"", "application/jsonp", "text/plain")) {
                assertEquals(415, Routes.status("127.0.0.1", server.port(), "POST", "/api/login", "Content-Type", type), type);
                assertEquals(415, Routes.status("127.0.0.1", server.port(), "POST", "/api/executions", "Content-Type", type,
                        "Authorization", basic), type);
            }
        }
    }
}
