package org.appmetrica.loader.admin;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import org.appmetrica.loader.connection.Connection;

import java.util.logging.Logger;

/**
 * The admin REST API over the {@link ConsoleServices}, in the WAR and in the standalone console. Whoever serves it
 * authenticates: the container in the WAR (WEB-INF/web.xml), the standalone console's own filters otherwise. Bodies
 * are read as text and checked by {@link AdminJson}, and answers written by it, so the JSON does not depend on the
 * server's JSON provider.
 */
@Path("api")
public class AdminResource {

    private static final Logger LOG = Logger.getLogger("org.appmetrica.loader.progress");

    @Context
    SecurityContext security;

    @Context
    Application application;

    private ConsoleServices services() {
        return application instanceof ConsoleApplication c ? c.services() : ConsoleApplication.deploymentServices();
    }

    private String user() {
        return security == null || security.getUserPrincipal() == null ? null : security.getUserPrincipal().getName();
    }

    @GET
    @Path("session")
    public Response session() {
        // FORM: the standalone console's own login (form or Basic against its users file)
        boolean own = security != null && SecurityContext.FORM_AUTH.equals(security.getAuthenticationScheme());
        return json(200, new Views.SessionView(user(), own ? "form" : "container"));
    }

    @GET
    @Path("jobs")
    public Response jobs() {
        return json(200, services().queries().jobs());
    }

    @GET
    @Path("catalog")
    public Response catalog() {
        return json(200, services().catalog());
    }

    @GET
    @Path("executions")
    public Response executions(@QueryParam("limit") String limit) {
        return json(200, services().queries().executions(Requests.limit(limit)));
    }

    @POST
    @Path("executions")
    public Response start(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String body) {
        Views.ExecutionView e = services().commands().start(AdminJson.strings(AdminJson.body(contentType, body), "parameters"));
        LOG.info("console: " + user() + " started execution " + e.id());
        return json(201, e);
    }

    @GET
    @Path("executions/{id}")
    public Response execution(@PathParam("id") String id) {
        return json(200, services().queries().execution(Requests.executionId(id)));
    }

    @POST
    @Path("executions/{id}/stop")
    public Response stop(@PathParam("id") String id, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String body) {
        AdminJson.body(contentType, body);
        Views.ExecutionView e = services().commands().stop(Requests.executionId(id));
        LOG.info("console: " + user() + " asked execution " + id + " to stop");
        return json(202, e);
    }

    @POST
    @Path("executions/{id}/restart")
    public Response restart(@PathParam("id") String id, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String body) {
        Views.ExecutionView e = services().commands().restart(Requests.executionId(id),
                AdminJson.strings(AdminJson.body(contentType, body), "parameters"));
        LOG.info("console: " + user() + " restarted execution " + id + " as execution " + e.id());
        return json(201, e);
    }

    @POST
    @Path("executions/{id}/abandon")
    public Response abandon(@PathParam("id") String id, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String body) {
        AdminJson.body(contentType, body);
        Views.ExecutionView e = services().commands().abandon(Requests.executionId(id));
        LOG.info("console: " + user() + " abandoned execution " + id);
        return json(200, e);
    }

    /** The databases loads have written to: what the coverage card offers. */
    @GET
    @Path("coverage/databases")
    public Response coverageDatabases() {
        return json(200, services().coverage().databases());
    }

    /** Day coverage of a database: per application, days × sources (see {@link CoverageService}). */
    @GET
    @Path("coverage")
    public Response coverage(@QueryParam("database") String database, @QueryParam("application") String application,
                             @QueryParam("source") String source, @QueryParam("from") String from, @QueryParam("to") String to) {
        return json(200, services().coverage().coverage(CoverageService.Query.parse(database, application, source, from, to)));
    }

    /** The in-memory regular loads are gone: regular loads are connections, which survive a restart. */
    @GET
    @Path("schedules")
    public Response schedules() {
        throw schedulesGone();
    }

    @POST
    @Path("schedules")
    public Response schedule() {
        throw schedulesGone();
    }

    @POST
    @Path("schedules/{name}/cancel")
    public Response cancel(@PathParam("name") String name) {
        throw schedulesGone();
    }

    private static AdminException schedulesGone() {
        return new AdminException(410, "gone", "/api/schedules is removed: regular loads are connections now, kept in the job "
                + "repository (POST /api/connections with \"regularity\": \"regular\", see docs/connections.md)");
    }

    @GET
    @Path("connections")
    public Response connections() {
        return json(200, services().connections().list());
    }

    @GET
    @Path("connections/{name}")
    public Response connection(@PathParam("name") String name) {
        return json(200, services().connections().show(name));
    }

    @POST
    @Path("connections")
    public Response createConnection(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String body) {
        ConnectionView c = services().connections().create(connectionBody(contentType, body));
        LOG.info("console: " + user() + " created connection " + c.name());
        return json(201, c);
    }

    @POST
    @Path("connection-checks")
    public Response testConnection(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String body) {
        return json(200, services().connections().test(connectionBody(contentType, body)));
    }

    @PUT
    @Path("connections/{name}")
    public Response editConnection(@PathParam("name") String name, @QueryParam("dryRun") String dryRun,
                                   @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String body) {
        boolean dry = "true".equalsIgnoreCase(dryRun);
        ConnectionService.Edited answer = services().connections().edit(name, connectionBody(contentType, body), dry);
        if (!dry) {
            LOG.info("console: " + user() + " edited connection " + name);
        }
        return json(200, answer);
    }

    @POST
    @Path("connections/{name}/pause")
    public Response pauseConnection(@PathParam("name") String name, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String body) {
        AdminJson.body(contentType, body);
        ConnectionView c = services().connections().pause(name);
        LOG.info("console: " + user() + " paused connection " + name);
        return json(200, c);
    }

    @POST
    @Path("connections/{name}/resume")
    public Response resumeConnection(@PathParam("name") String name, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String body) {
        AdminJson.body(contentType, body);
        ConnectionView c = services().connections().resume(name);
        LOG.info("console: " + user() + " resumed connection " + name);
        return json(200, c);
    }

    @POST
    @Path("connections/{name}/run")
    public Response runConnection(@PathParam("name") String name, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String body) {
        AdminJson.body(contentType, body);
        ConnectionView c = services().connections().run(name);
        LOG.info("console: " + user() + " ran connection " + name);
        return json(202, c);
    }

    @DELETE
    @Path("connections/{name}")
    public Response deleteConnection(@PathParam("name") String name, @QueryParam("dropData") String dropData) {
        ConnectionService.Deleted answer = services().connections().delete(name, "true".equalsIgnoreCase(dropData));
        LOG.info("console: " + user() + " deleted connection " + name + ("true".equalsIgnoreCase(dropData) ? " and its data" : ""));
        return json(200, answer);
    }

    @POST
    @Path("secrets/token")
    public Response storeToken(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String body) {
        JsonNode b;
        try {
            b = AdminJson.body(contentType, body);
        } catch (AdminException e) {
            if (e.status() != 400) {
                throw e;
            }
            // the parser's message quotes the text around the error: here that may be the token
            throw new AdminException(400, "bad-request", "the request body must be a JSON object {\"token\": …, \"name\": …}");
        }
        Applications.TokenRef answer = services().applications().storeToken(b.path("name").asText(null), b.path("token").asText(null));
        LOG.info("console: " + user() + " stored a token as " + answer.tokenRef()); // the reference only
        return json(201, answer);
    }

    @GET
    @Path("applications")
    public Response applications(@QueryParam("tokenRef") String tokenRef, @QueryParam("apiUrl") String apiUrl) {
        return json(200, services().applications().applications(tokenRef, apiUrl));
    }

    /** A connection in a request body: JSON (as every body here, only application/json), checked by the record. */
    private static Connection connectionBody(String contentType, String body) {
        AdminJson.body(contentType, body);
        try {
            return Connection.fromJson(body);
        } catch (IllegalArgumentException e) {
            throw new AdminException(400, "bad-request", SecretMask.text(e.getMessage()));
        }
    }

    /** A JSON answer with the console's security headers, as every admin resource sends it. */
    public static Response json(int status, Object value) {
        Response.ResponseBuilder r = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE.withCharset("utf-8")).entity(AdminJson.write(value));
        ConsoleFiles.SECURITY_HEADERS.forEach(r::header);
        return r.build();
    }
}
