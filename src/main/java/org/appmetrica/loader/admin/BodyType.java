package org.appmetrica.loader.admin;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import java.nio.charset.Charset;

/**
 * A request body's Content-Type must be well formed and name a charset there is, before the body is decoded to text:
 * otherwise 415 (the decoding would fail with a 500). That it is JSON is checked where the body is read
 * ({@link AdminJson#body}).
 */
@Priority(Priorities.HEADER_DECORATOR)
public class BodyType implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (header == null) {
            return;
        }
        if (!usable(header)) {
            throw unsupported();
        }
    }

    static AdminException unsupported() {
        return new AdminException(415, "unsupported-media-type", "send the request body as Content-Type: application/json (an empty object {} will do)");
    }

    /** Whether the header parses and its charset, if any, is one this JVM knows. */
    static boolean usable(String header) {
        try {
            String charset = MediaType.valueOf(header).getParameters().get(MediaType.CHARSET_PARAMETER);
            return charset == null || Charset.isSupported(charset);
        } catch (IllegalArgumentException e) { // also IllegalCharsetNameException
            return false;
        }
    }

    /** Whether the header names application/json (any case, any parameters). */
    static boolean json(String header) {
        if (header == null || !usable(header)) {
            return false;
        }
        MediaType type = MediaType.valueOf(header);
        return type.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !type.isWildcardType() && !type.isWildcardSubtype();
    }
}
