package org.appmetrica.loader.simulator;

import java.util.Map;

/**
 * One request received by the {@link LogsApiSimulator}.
 *
 * @param method        HTTP method
 * @param path          request path without the query
 * @param query         decoded query parameters in request order (the first value when a name repeats)
 * @param authorization the Authorization header as sent, or null
 * @param cacheControl  the Cache-Control header as sent, or null
 * @param status        HTTP status answered
 */
public record RecordedRequest(String method, String path, Map<String, String> query, String authorization,
                              String cacheControl, int status) {
}
