package org.appmetrica.loader.standalone.console;

import org.appmetrica.loader.admin.ConsoleServices;
import org.appmetrica.loader.admin.PasswordHash;
import org.appmetrica.loader.admin.UserStore;
import org.appmetrica.loader.security.Routes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every route of the standalone console, found by reflection over the application's own classes, asked anonymously in
 * every spelling: only the page, login and logout answer; everything else 401 when the spelling reaches it, 400/404/405
 * when it names nothing. The job operator behind it is absent: any action that ran would fail the answer with a 500.
 */
class AllRoutesNeedALoginTest {

    private static final String BASIC = "Basic " + java.util.Base64.getEncoder().encodeToString("routes-admin:routes-pw".getBytes());

    @Test
    void everyRouteInEverySpellingNeedsALogin() throws Exception {
        ConsoleServices service = ConsoleServices.of(() -> null, ConsoleServices.Setup.plain());
        UserStore users = UserStore.of(Map.of("routes-admin", PasswordHash.hash("routes-pw".toCharArray())));
        StandaloneApplication app = new StandaloneApplication(service, new Logins(users, false), new FrontDoor(List.of()), "metrics-token");
        Set<Class<?>> classes = new HashSet<>(app.getClasses());
        app.getSingletons().forEach(s -> classes.add(s.getClass()));
        List<Routes.Route> routes = new ArrayList<>(Routes.of(classes));
        routes.addAll(Routes.staticFiles(true));
        assertTrue(routes.size() > 30, "the enumeration found the API: " + routes);
        assertEquals(Set.of("GET /", "HEAD /", "GET /console", "HEAD /console", "GET /console/1", "HEAD /console/1",
                        "GET /console/app.css", "GET /console/app.js", "GET /console/index.html", "POST /api/login", "POST /api/logout"),
                Routes.publicRoutes(routes), "only these answer without a login: a new public route is a decision, made here");

        try (ConsoleServer server = new ConsoleServer(service, users, "127.0.0.1", 0).metricsToken("metrics-token").start()) {
            List<String> failures = Routes.anonymousFailures("127.0.0.1", server.port(), "/", routes);
            assertTrue(failures.isEmpty(), failures.size() + " anonymous requests were not refused: " + failures);
            // the spellings do reach resources: with a login, many odd ones answer like the plain one
            Set<String> reaching = new java.util.TreeSet<>();
            for (String spelling : Routes.spellings("api/session")) {
                if (Routes.status("127.0.0.1", server.port(), "GET", "/" + spelling, "Authorization", BASIC) == 200) {
                    reaching.add(spelling);
                }
            }
            assertTrue(reaching.containsAll(List.of("api/session", "api;x/session", "api/session/", "api/session;x")), reaching.toString());
            assertEquals(200, Routes.status("127.0.0.1", server.port(), "GET", "/metrics;x/", "Authorization", "Bearer metrics-token"));
            assertEquals(401, Routes.status("127.0.0.1", server.port(), "GET", "/api;x/session", "Authorization", "Bearer metrics-token"),
                    "the metrics token opens /metrics only");
        }
    }
}
