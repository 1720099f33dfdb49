package org.appmetrica.loader.standalone.console;

import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import org.appmetrica.loader.admin.AdminException;
import org.appmetrica.loader.admin.LoginRequired;
import org.appmetrica.loader.admin.Public;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;

/**
 * The standalone console's login, decided on the matched resource method, never on the path as spelled: every method
 * that is not {@link Public} (login, logout, the page's static files) needs a user, a session cookie or HTTP Basic
 * credentials, otherwise 401; {@link MetricsResource} also takes the metrics token. A path that matches no resource
 * is a 404 that runs nothing. {@link org.appmetrica.loader.admin.LoginRequired} checks the outcome once more.
 */
@Priority(Priorities.AUTHENTICATION)
final class Authentication implements ContainerRequestFilter {

    /** The page sends this header; a 401 to it carries no Basic challenge, so the browser shows the page's own login form. */
    static final String PAGE_HEADER = "X-Requested-With";

    private final Logins logins;
    /** "Bearer TOKEN" that opens GET /metrics only, or null. */
    private final byte[] metricsBearer;

    @Context
    HttpServletRequest http;

    @Context
    ResourceInfo resource;

    Authentication(Logins logins, String metricsToken) {
        this.logins = logins;
        this.metricsBearer = metricsToken == null ? null : ("Bearer " + metricsToken).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (LoginRequired.isPublic(resource)) {
            return;
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (resource.getResourceClass() == MetricsResource.class && metricsBearer != null && authorization != null
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
