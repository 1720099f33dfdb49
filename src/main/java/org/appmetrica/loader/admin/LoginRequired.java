package org.appmetrica.loader.admin;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;

/**
 * Deny by default, decided on the resource that was matched, not on the path as spelled (matrix parameters, a
 * trailing slash or percent-encoding change the string but not the resource): every resource method needs a user
 * unless it is {@link Public}. In the WAR the container has already asked for a login (web.xml); in the standalone
 * console its own login runs first. This is the rule both share.
 */
@Priority(Priorities.AUTHORIZATION)
public class LoginRequired implements ContainerRequestFilter {

    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        if (isPublic(resource)) {
            return;
        }
        if (request.getSecurityContext() == null || request.getSecurityContext().getUserPrincipal() == null
                || request.getSecurityContext().getUserPrincipal().getName() == null) {
            throw new AdminException(401, "unauthorized", "log in first");
        }
    }

    /** Whether the matched resource method is {@link Public}; no method (nothing matched) is not. */
    public static boolean isPublic(ResourceInfo resource) {
        if (resource == null || resource.getResourceMethod() == null) {
            return false;
        }
        return resource.getResourceMethod().isAnnotationPresent(Public.class)
                || resource.getResourceClass() != null && resource.getResourceClass().isAnnotationPresent(Public.class);
    }
}
