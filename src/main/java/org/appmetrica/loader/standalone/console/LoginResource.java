package org.appmetrica.loader.standalone.console;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.appmetrica.loader.admin.AdminException;
import org.appmetrica.loader.admin.AdminJson;
import org.appmetrica.loader.admin.AdminResource;
import org.appmetrica.loader.admin.LoginThrottle;
import org.appmetrica.loader.admin.PasswordHash;
import org.appmetrica.loader.admin.Public;
import org.appmetrica.loader.admin.Views;

import java.util.logging.Logger;

/** The standalone console's login form posts here; the answer carries the session cookie (HttpOnly, SameSite=Strict). */
@Path("api")
public final class LoginResource {

    private static final Logger LOG = Logger.getLogger("org.appmetrica.loader.progress");

    private final Logins logins;

    @Context
    HttpServletRequest http;

    LoginResource(Logins logins) {
        this.logins = logins;
    }

    @Public
    @POST
    @Path("login")
    public Response login(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String text) {
        JsonNode body = AdminJson.body(contentType, text);
        String user = body.path("user").asText("");
        char[] password = body.path("password").asText("").toCharArray();
        String from = http.getRemoteAddr();
        try {
            if (user.isEmpty() || !logins.passwordMatches(user, password, from)) {
                LOG.info("console: failed login for user '" + LoginThrottle.shown(user).replaceAll("[^\\w.@…-]", "?") + "' from " + from);
                throw new AdminException(401, "unauthorized", "wrong user or password");
            }
        } finally {
            PasswordHash.wipe(password);
        }
        return withCookie(new Views.SessionView(user, "form"), logins.newSession(user));
    }

    @Public
    @POST
    @Path("logout")
    public Response logout(@CookieParam(Logins.COOKIE) String token) {
        String user = logins.sessionUser(token);
        return withCookie(new Views.SessionView(user, "form"), logins.endSession(token));
    }

    private static Response withCookie(Views.SessionView session, String setCookie) {
        return Response.fromResponse(AdminResource.json(200, session)).header(HttpHeaders.SET_COOKIE, setCookie).build();
    }
}
