package org.appmetrica.loader.admin;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Every error of the admin API and the console page as one JSON body, {status, error, message}, in the WAR and standalone. */
@Provider
public class AdminExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(AdminExceptionMapper.class.getName());

    @Context
    Request request;

    @Context
    UriInfo uri;

    @Override
    public Response toResponse(Throwable t) {
        if (t instanceof AdminException e) {
            Response.ResponseBuilder r = json(e.status(), e.view());
            e.headers().forEach(r::header);
            return r.build();
        }
        Views.ErrorView view;
        if (t instanceof WebApplicationException w) {
            int status = w.getResponse().getStatus();
            if (status == 404) {
                view = AdminException.notFound(notFound(path())).view();
            } else if (status == 405) {
                view = new Views.ErrorView(405, "method-not-allowed", (request == null ? "this method" : request.getMethod())
                        + " is not allowed here: use " + String.join(" or ", declared(w.getResponse().getAllowedMethods())));
            } else {
                view = new Views.ErrorView(status, "http-" + status, SecretMask.text(String.valueOf(w.getMessage())));
            }
        } else {
            LOG.log(Level.WARNING, "admin API request failed", t);
            view = new Views.ErrorView(500, "internal-error", SecretMask.text(String.valueOf(t.getMessage())));
        }
        return json(view.status(), view).build();
    }

    /** What a 404 says: which part of the application the path missed. */
    static String notFound(String path) {
        if (path.startsWith("/api/")) {
            return "no API at " + path;
        }
        if (path.startsWith("/console/")) {
            return "no such file: " + path;
        }
        return "nothing at " + path + ": the console is at /console/, the API under /api/";
    }

    /** The request path below the application (/api/…), as sent. */
    private String path() {
        String p = uri == null ? "" : uri.getPath(false);
        return p.startsWith("/") ? p : "/" + p;
    }

    /** The methods the resource declares: JAX-RS adds HEAD and OPTIONS to every GET, which no client needs to be told. */
    private static Set<String> declared(Set<String> allowed) {
        Set<String> methods = new TreeSet<>(allowed);
        methods.removeAll(Set.of("HEAD", "OPTIONS"));
        return methods.isEmpty() ? new TreeSet<>(allowed) : methods;
    }

    private static Response.ResponseBuilder json(int status, Views.ErrorView view) {
        Response.ResponseBuilder r = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE.withCharset("utf-8")).entity(AdminJson.write(view));
        ConsoleFiles.SECURITY_HEADERS.forEach(r::header);
        return r;
    }
}
