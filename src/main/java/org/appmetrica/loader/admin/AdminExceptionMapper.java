package org.appmetrica.loader.admin;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Every error of the admin API as the JSON body the standalone console sends too: {status, error, message}. */
@Provider
public class AdminExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(AdminExceptionMapper.class.getName());

    @Context
    Request request;

    @Override
    public Response toResponse(Throwable t) {
        Views.ErrorView view;
        if (t instanceof AdminException e) {
            view = e.view();
        } else if (t instanceof WebApplicationException w) {
            int status = w.getResponse().getStatus();
            String message;
            if (status == 404) {
                message = "no API at this path";
            } else if (status == 405) {
                message = (request == null ? "this method" : request.getMethod()) + " is not allowed here: use "
                        + String.join(" or ", new TreeSet<>(w.getResponse().getAllowedMethods()));
            } else {
                message = SecretMask.text(String.valueOf(w.getMessage()));
            }
            view = new Views.ErrorView(status, status == 404 ? "not-found" : status == 405 ? "method-not-allowed" : "http-" + status, message);
        } else {
            LOG.log(Level.WARNING, "admin API request failed", t);
            view = new Views.ErrorView(500, "internal-error", SecretMask.text(String.valueOf(t.getMessage())));
        }
        Response.ResponseBuilder r = Response.status(view.status()).type(MediaType.APPLICATION_JSON_TYPE.withCharset("utf-8"))
                .entity(AdminJson.write(view));
        ConsoleFiles.SECURITY_HEADERS.forEach(r::header);
        return r.build();
    }
}
