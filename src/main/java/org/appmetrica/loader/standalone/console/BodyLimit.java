package org.appmetrica.loader.standalone.console;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import org.appmetrica.loader.admin.AdminException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Request bodies of the standalone console are small JSON objects: more than 1 MB is refused (413), never read whole. */
final class BodyLimit implements ContainerRequestFilter {

    private static final int MAX_BODY = 1 << 20;

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        // GETs and DELETEs carry none
        if (!(request.getMethod().equals("POST") || request.getMethod().equals("PUT"))) {
            return;
        }
        byte[] bytes;
        try (InputStream in = request.getEntityStream()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw new AdminException(413, "too-large", "the request body is larger than 1 MB");
        }
        request.setEntityStream(new ByteArrayInputStream(bytes));
    }
}
