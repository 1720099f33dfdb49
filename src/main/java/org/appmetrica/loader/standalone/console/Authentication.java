package org.appmetrica.loader.standalone.console;

import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import org.appmetrica.loader.admin.AdminException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;

/**
 * Every /api path of the standalone console except login and logout, and /metrics, need a user: a session cookie, or HTTP Basic
 * credentials; otherwise 401, before the path is even matched (an unknown path tells nothing to strangers). The page's
 * static files need no login: they hold no data.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
final class Authentication implements ContainerRequestFilter {

    /** The page sends this header; a 401 to it carries no Basic challenge, so the browser shows the page's own login form. */
    static final String PAGE_HEADER = "X-Requested-With";

    private final Logins logins;
    /** "Bearer TOKEN" that opens GET /metrics only, or null. */
    private final byte[] metricsBearer;

    @Context
    HttpServletRequest http;

    Authentication(Logins logins, String metricsToken) {
        this.logins = logins;
        this.metricsBearer = metricsToken == null ? null : ("Bearer " + metricsToken).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getRequestUri().getRawPath();
        boolean guarded = path.equals("/metrics") || path.startsWith("/api/") && !path.equals("/api/login") && !path.equals("/api/logout");
        if (!guarded) {
            return;
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (path.equals("/metrics") && metricsBearer != null && authorization != null
                && MessageDigest.isEqual(metricsBearer, authorization.getBytes(StandardCharsets.UTF_8))) {
            request.setSecurityContext(new User("metrics"));
            return;
        }
        Cookie cookie = request.getCookies().get(Logins.COOKIE);
        String user = logins.sessionUser(cookie == null ? null : cookie.getValue());
        if (user == null) {
            user = logins.basicUser(request.getHeaderString(HttpHeaders.AUTHORIZATION), http.getRemoteAddr());
        }
        if (user == null) {
            AdminException e = new AdminException(401, "unauthorized",
                    "log in first (the console's login form, or HTTP Basic with a user of the --users file)");
            throw request.getHeaderString(PAGE_HEADER) == null
                    ? e.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"appmetrica-loader console\", charset=\"UTF-8\"") : e;
        }
        request.setSecurityContext(new User(user));
    }

    /** The console's own login, which AdminResource reports as "form". */
    private record User(String name) implements SecurityContext, Principal {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public Principal getUserPrincipal() {
            return this;
        }

        @Override
        public boolean isUserInRole(String role) {
            return false;
        }

        @Override
        public boolean isSecure() {
            return false;
        }

        @Override
        public String getAuthenticationScheme() {
            return FORM_AUTH;
        }
    }
}
