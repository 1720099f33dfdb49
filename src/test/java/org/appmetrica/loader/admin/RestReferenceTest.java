package org.appmetrica.loader.admin;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import org.appmetrica.loader.standalone.console.LoginResource;
import org.appmetrica.loader.standalone.console.MetricsResource;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The REST reference in docs/ (console.md, connections.md) names every route the resources serve, and no route they do
 * not: each {@code `METHOD /path`} there, path parameters written as their upper-case names ({@code ID}, {@code NAME}),
 * {@code a|b} for routes that differ in their last segment.
 */
class RestReferenceTest {

    private static final List<Class<?>> RESOURCES = List.of(AdminResource.class, LoginResource.class, MetricsResource.class);
    private static final List<String> PAGES = List.of("docs/console.md", "docs/connections.md");
    private static final Pattern MENTION = Pattern.compile("`(GET|POST|PUT|DELETE)\\s+(/(?:api|metrics)[^`\\s?\\[]*)");

    @Test
    void theReferenceNamesEveryRouteAndOnlyThose() throws Exception {
        assertEquals(served(), documented());
    }

    private static Set<String> served() {
        Set<String> routes = new TreeSet<>();
        for (Class<?> c : RESOURCES) {
            String base = c.getAnnotation(Path.class).value();
            for (Method m : c.getDeclaredMethods()) {
                String http = m.isAnnotationPresent(GET.class) ? "GET" : m.isAnnotationPresent(POST.class) ? "POST"
                        : m.isAnnotationPresent(PUT.class) ? "PUT" : m.isAnnotationPresent(DELETE.class) ? "DELETE" : null;
                if (http == null) {
                    continue;
                }
                Path sub = m.getAnnotation(Path.class);
                String path = "/" + base + (sub == null ? "" : "/" + sub.value());
                Matcher p = Pattern.compile("\\{([^}]*)}").matcher(path);
                routes.add(http + " " + p.replaceAll(r -> r.group(1).toUpperCase()));
            }
        }
        return routes;
    }

    private static Set<String> documented() throws Exception {
        Set<String> routes = new TreeSet<>();
        for (String page : PAGES) {
            Matcher m = MENTION.matcher(Files.readString(java.nio.file.Path.of(page)));
            while (m.find()) {
                String path = m.group(2);
                int slash = path.lastIndexOf('/');
                for (String last : path.substring(slash + 1).split("\\|")) {
                    routes.add(m.group(1) + " " + path.substring(0, slash + 1) + last);
                }
            }
        }
        return routes;
    }
}
