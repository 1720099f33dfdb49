package org.appmetrica.loader.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The [Service] settings of a systemd unit file: each key with its values in order (keys may repeat). */
record UnitFile(Map<String, List<String>> service) {

    static UnitFile read(Path file) throws IOException {
        Map<String, List<String>> service = new LinkedHashMap<>();
        String section = "";
        for (String line : Files.readAllLines(file)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
                continue;
            }
            if (l.startsWith("[")) {
                section = l;
            } else if (section.equals("[Service]")) {
                int eq = l.indexOf('=');
                service.computeIfAbsent(l.substring(0, eq), k -> new ArrayList<>()).add(l.substring(eq + 1));
            }
        }
        return new UnitFile(service);
    }

    List<String> all(String key) {
        return service.getOrDefault(key, List.of());
    }

    String one(String key) {
        List<String> values = all(key);
        if (values.size() != 1) {
            throw new AssertionError("expected one " + key + "=, found " + values);
        }
        return values.get(0);
    }

    /** Environment= lines as variables (NAME=VALUE each, unquoted, as these units write them). */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String value : all("Environment")) {
            int eq = value.indexOf('=');
            env.put(value.substring(0, eq), value.substring(eq + 1));
        }
        return env;
    }
}
