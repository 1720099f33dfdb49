package org.appmetrica.loader.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.LinkedHashMap;
import java.util.Map;

/** JSON in and out of the admin API, the same in the WAR, the standalone console and the CLI's --json. */
public final class AdminJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private AdminJson() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    public static String pretty(Object value) {
        try {
            return PRETTY.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /**
     * The body of a POST: a JSON object (or nothing). Only {@code application/json} is accepted, so that a page of
     * another site cannot post to the API with the browser's credentials (a form or a no-cors fetch cannot send it).
     */
    public static JsonNode body(String contentType, String body) {
        if (!BodyType.json(contentType)) {
            throw BodyType.unsupported();
        }
        if (body == null || body.isBlank()) {
            return MAPPER.createObjectNode();
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw AdminException.badRequest("the request body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw AdminException.badRequest("the request body is not JSON: " + e.getOriginalMessage());
        }
    }

    /** A member that must be an object of strings (numbers and booleans are taken as their text), or absent. */
    public static Map<String, String> strings(JsonNode body, String member) {
        Map<String, String> result = new LinkedHashMap<>();
        JsonNode node = body.get(member);
        if (node == null || node.isNull()) {
            return result;
        }
        if (!node.isObject()) {
            throw AdminException.badRequest("'" + member + "' must be a JSON object of names and text values");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode v = e.getValue();
            if (v.isNull()) {
                result.put(e.getKey(), "");
            } else if (v.isValueNode()) {
                result.put(e.getKey(), v.asText());
            } else {
                throw AdminException.badRequest("'" + member + "." + e.getKey() + "' must be a text value");
            }
        }
        return result;
    }
}
