package org.appmetrica.loader.standalone.console;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.appmetrica.loader.admin.AdminException;
import org.appmetrica.loader.admin.ConsoleFiles;

import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Before anything else in the standalone console: the Host header must name this console, so that a web page cannot
 * reach it through DNS rebinding; OPTIONS is refused (no CORS here); and / and /console lead to the page (a plain 302 to /console/, which the WAR's
 * resource answers with a 303 to its context path instead).
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
final class FrontDoor implements ContainerRequestFilter {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+(%[\\w.]+)?");
    private static final Pattern PORT = Pattern.compile(":\\d{1,5}");

    private final Set<String> hostNames;

    /** Names besides IP addresses and localhost that browsers may use to reach the console. */
    FrontDoor(Collection<String> names) {
        Set<String> all = new HashSet<>(Set.of("localhost"));
        names.forEach(n -> all.add(n.trim().toLowerCase(Locale.ROOT)));
        this.hostNames = Set.copyOf(all);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String host = request.getHeaderString(HttpHeaders.HOST);
        if (host != null && !hostAllowed(host, hostNames)) { // missing only outside browsers
            throw new AdminException(403, "host-not-allowed", "this console does not answer to the name in the Host header; "
                    + "start it with --host-name NAME to allow a name");
        }
        if (request.getMethod().equals("OPTIONS")) {
            // JAX-RS would answer it without the resource, so without a login; the console allows no CORS anyway
            throw new AdminException(405, "method-not-allowed", "OPTIONS is not allowed here");
        }
        String path = request.getUriInfo().getRequestUri().getRawPath();
        if (path.equals("/") || path.equals("/console")) {
            Response.ResponseBuilder r = Response.status(302).header(HttpHeaders.LOCATION, "/console/")
                    .header(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8");
            ConsoleFiles.SECURITY_HEADERS.forEach(r::header);
            request.abortWith(r.build());
        }
    }

    /** The Host header names an IP address, localhost or a configured name, with an optional port. */
    static boolean hostAllowed(String hostHeader, Set<String> names) {
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 && IPV6.matcher(h.substring(1, end)).matches() && (end == h.length() - 1 || PORT.matcher(h.substring(end + 1)).matches());
        }
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        if (colon >= 0 && !PORT.matcher(h.substring(colon)).matches()) {
            return false;
        }
        return IPV4.matcher(name).matches() || names.contains(name);
    }
}
