package org.appmetrica.loader.model;

import org.appmetrica.loader.schema.FieldCatalog;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The copies of the parameter definition (builder, job XML, the table in docs/loads.md, --help) are held to {@link LoadParameter}. */
class LoadParameterTest {

    /** The fixed keys and fields./filters. of every source: what the job XML copies from jobParameters. */
    private static Set<String> jobXmlNames() {
        Set<String> names = new TreeSet<>(LoadParameter.keys());
        for (String source : FieldCatalog.get().sourceNames()) {
            names.add(LoadParameters.FIELDS_PREFIX + source);
            names.add(LoadParameters.FILTERS_PREFIX + source);
        }
        return names;
    }

    @Test
    void namesAreTheRegistry() {
        assertEquals(LoadParameter.keys(), LoadParameters.NAMES);
        assertEquals(LoadParameter.values().length, Set.copyOf(LoadParameter.keys()).size(), "keys are unique");
    }

    @Test
    void theBuilderHasASetterForEachParameter() {
        Set<String> setters = new TreeSet<>();
        for (Method m : LoadParametersBuilder.class.getMethods()) {
            if (m.getReturnType() == LoadParametersBuilder.class && m.getParameterCount() == 1) {
                setters.add(m.getName());
            }
        }
        List<String> missing = LoadParameter.keys().stream().filter(k -> !setters.contains(k)).toList();
        assertEquals(List.of(), missing, "LoadParametersBuilder setters");
        Map<String, String> set = new LinkedHashMap<>();
        LoadParameters.builder().clickhouseClusterHttpPortOffset(-780).build().forEach((k, v) -> set.put((String) k, (String) v));
        assertEquals(Map.of("clickhouseClusterHttpPortOffset", "-780"), set);
    }

    @Test
    void theJobXmlCopiesExactlyTheKnownParameters() throws IOException {
        String xml = Files.readString(Path.of("batch-jobs", "appmetrica-load.xml"));
        String jobLevel = xml.substring(xml.indexOf("<properties>"), xml.indexOf("</properties>"));
        Matcher m = Pattern.compile("<property name=\"([^\"]+)\" value=\"#\\{jobParameters\\['([^']+)'\\]\\}\"/>").matcher(jobLevel);
        Set<String> copied = new TreeSet<>();
        while (m.find()) {
            assertEquals(m.group(1), m.group(2), "a job-level property copies the parameter of its own name");
            assertTrue(copied.add(m.group(1)), "copied once: " + m.group(1));
        }
        assertEquals(jobXmlNames(), copied);
    }

    @Test
    void theDocsTableListsEachParameterWithWhoMaySetIt() throws IOException {
        String page = Files.readString(Path.of("docs", "loads.md"));
        int start = page.indexOf("| parameter | default | console user | meaning |");
        assertTrue(start > 0, "the parameter table of docs/loads.md");
        Map<String, String> who = new LinkedHashMap<>();
        for (String row : page.substring(start, page.indexOf("\n\n", start)).split("\n")) {
            String[] cells = row.split(" \\| ");
            if (!cells[0].startsWith("| `")) {
                continue;
            }
            for (String name : cells[0].substring(2).split(", ")) {
                assertTrue(who.put(name.replace("`", ""), cells[2]) == null, "one row for " + name);
            }
        }
        List<String> expected = new ArrayList<>(LoadParameter.keys());
        expected.addAll(List.of("fields.<source>", "filters.<source>"));
        assertEquals(new TreeSet<>(expected), new TreeSet<>(who.keySet()));
        for (LoadParameter p : LoadParameter.values()) {
            String cell = who.get(p.key());
            switch (p.access()) {
                case ANY -> assertEquals("yes", cell, p.key());
                case HELD -> assertTrue(cell.startsWith("listed (`--allow-"), p.key() + ": " + cell);
                case OPERATOR -> assertEquals("no: operator only", cell, p.key());
            }
        }
    }

    @Test
    void helpListsEveryParameter() {
        String help = LoadParameter.help();
        for (LoadParameter p : LoadParameter.values()) {
            assertTrue(help.contains("  " + p.key() + " "), p.key());
        }
        assertTrue(help.contains("chunkSize") && help.contains("[default 100000] (1-1000000)"), help);
        assertTrue(help.lines().filter(l -> l.contains("{operator only}")).count() >= 2, help);
    }

    @Test
    void theRangeIsTheRegistrys() {
        for (LoadParameter p : Arrays.stream(LoadParameter.values()).filter(p -> p.type() == LoadParameter.Type.INT).toList()) {
            String tooBig = Long.toString((long) p.max() + 1);
            LoadParametersBuilder b = LoadParameters.builder().set("applicationIds", "1").sources("events")
                    .set("dateSince", "2024-03-01").set("dateUntil", "2024-03-01").set(p.key(), tooBig);
            if (p == LoadParameter.CLICKHOUSE_CLUSTER_HTTP_PORT_OFFSET) {
                b.clickhouseCluster("c");
            }
            String message = assertThrows(IllegalArgumentException.class, b::parse).getMessage();
            assertEquals("job parameter " + p.key() + "='" + tooBig + "': expected a whole number from " + p.min() + " to " + p.max(), message);
        }
    }

    @Test
    void oneRuleForSecretLikeNames() {
        for (String name : List.of("token", "oauthToken", "clickhousePassword", "apiKey", "mySecret", "privateKey", "passwd")) {
            assertTrue(LoadParameter.secretLikeName(name), name);
            String message = assertThrows(IllegalArgumentException.class, () -> LoadParameters.builder().set("applicationIds", "1")
                    .sources("push_tokens").set(name, "x").parse()).getMessage();
            assertTrue(message.contains("looks like a secret"), name + ": " + message);
        }
        for (String name : List.of("tokenRef", "clickhousePasswordRef", "fields.push_tokens", "filters.push_tokens")) {
            assertFalse(LoadParameter.secretLikeName(name), name);
        }
    }
}
