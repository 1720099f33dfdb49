package org.appmetrica.loader.simulator;

import java.util.Set;
import java.util.TreeSet;

/** The management endpoints the loader reads (docs/logs-api.md §1.5): status, applications, one application. */
final class ManagementApi {

    /** Creation date every simulated application reports. */
    static final String APP_CREATE_DATE = "2024-01-01";

    private final SimulatorConfig config;

    ManagementApi(SimulatorConfig config) {
        this.config = config;
    }

    Answer answer(String path, Set<Long> access) {
        switch (path) {
            case "/management/v1/logsapi/status":
                return Answer.json(200, "{\"logs_api_availability_status\":\"enabled\"}");
            case "/management/v1/applications": {
                StringBuilder sb = new StringBuilder("{\"applications\":[");
                boolean first = true;
                for (long id : visibleApplications(access)) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    application(sb, id, access);
                }
                return Answer.json(200, sb.append("]}").toString());
            }
            default:
                break;
        }
        String prefix = "/management/v1/application/";
        if (path.startsWith(prefix)) {
            String idText = path.substring(prefix.length());
            if (idText.endsWith("/")) {
                idText = idText.substring(0, idText.length() - 1);
            }
            long id;
            try {
                id = Long.parseLong(idText);
            } catch (NumberFormatException e) {
                return error(400, "invalid_parameter", "Invalid application id.");
            }
            if (id < 0) {
                return error(400, "invalid_parameter", "Invalid application id.");
            }
            if (!access.isEmpty() && !access.contains(id)) {
                return error(403, "access_denied", "Access denied.");
            }
            StringBuilder sb = new StringBuilder("{\"application\":");
            application(sb, id, access);
            return Answer.json(200, sb.append('}').toString());
        }
        return error(404, "not_found", "Not found.");
    }

    static Answer error(int status, String type, String message) {
        return Answer.json(status, "{\"errors\":[{\"error_type\":\"" + type + "\",\"message\":\"" + message
                + "\"}],\"code\":" + status + ",\"message\":\"" + message + "\"}");
    }

    /** The token's own applications; for a token that may read everything, every id named in the configuration. */
    private Set<Long> visibleApplications(Set<Long> access) {
        if (!access.isEmpty()) {
            return new TreeSet<>(access);
        }
        Set<Long> all = new TreeSet<>();
        config.tokens().values().forEach(all::addAll);
        return all;
    }

    private void application(StringBuilder sb, long id, Set<Long> access) {
        long h = Mix.mix(config.seed() ^ Mix.mix(id + 17));
        sb.append("{\"id\":").append(id)
                .append(",\"name\":\"Simulated app ").append(id).append('"')
                .append(",\"time_zone_name\":\"UTC\",\"time_zone_offset\":0")
                .append(",\"create_date\":\"").append(APP_CREATE_DATE).append('"')
                .append(",\"api_key128\":\"").append(ValueRules.hex(h, 8)).append('-')
                .append(ValueRules.hex(Mix.mix(h), 4)).append("-4").append(ValueRules.hex(Mix.mix(h ^ 1), 3))
                .append("-a").append(ValueRules.hex(Mix.mix(h ^ 2), 3)).append('-')
                .append(ValueRules.hex(Mix.mix(h ^ 3), 12)).append('"')
                .append(",\"permission\":\"").append(access.isEmpty() ? "own" : "view").append("\"}");
    }
}
