package org.appmetrica.loader.admin;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The console page's static files, from the class path ({@link ConsoleFiles}), in the WAR and the standalone console.
 * Public: the page holds no data and carries the standalone console's login form (in the WAR the container still asks).
 */
@Public
@Path("")
public class ConsoleResource {

    @GET
    public Response root(@Context UriInfo uri) {
        return Response.seeOther(uri.getBaseUriBuilder().path("console/").build()).build();
    }

    /** /console redirects to /console/ (the page's relative links need the slash), which is index.html. */
    @GET
    @Path("console")
    public Response console(@Context UriInfo uri) {
        if (!uri.getRequestUri().getRawPath().endsWith("/")) {
            return root(uri);
        }
        return file("index.html");
    }

    @GET
    @Path("console/{file}")
    public Response file(@PathParam("file") String name) {
        ConsoleFiles.File f = ConsoleFiles.get(name);
        if (f == null) {
            throw AdminException.notFound("no such file: /console/" + name);
        }
        Response.ResponseBuilder r = Response.ok(f.content(), f.contentType());
        ConsoleFiles.SECURITY_HEADERS.forEach(r::header);
        return r.build();
    }
}
