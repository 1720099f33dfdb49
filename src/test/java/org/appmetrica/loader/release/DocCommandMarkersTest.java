package org.appmetrica.loader.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every block of shell or SQL commands in the documentation says whether a test runs it (README, "Commands in these
 * pages"), and a test or script it names exists.
 */
class DocCommandMarkersTest {

    private static final Pattern COMMANDS = Pattern.compile("^```(bash|sh|shell|sql|console)\\s*$");
    private static final Pattern RUN_BY = Pattern.compile("^<!-- run by ([^:]+?)(: .+)? -->$");
    private static final Pattern NOT_RUN = Pattern.compile("^<!-- not run by a test( as written)?(: .+| \\(.+)? -->$");

    @Test
    void everyCommandBlockIsMarked() throws IOException {
        List<Path> pages = pages();
        assertTrue(pages.size() >= 10, "README, CONTRIBUTING and docs/: " + pages);
        List<String> unmarked = new ArrayList<>();
        int blocks = 0;
        for (Path page : pages) {
            List<String> lines = Files.readAllLines(page);
            boolean inFence = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (!line.startsWith("```")) {
                    continue;
                }
                if (!inFence && COMMANDS.matcher(line).matches()) {
                    blocks++;
                    String before = i > 0 ? lines.get(i - 1) : "";
                    String problem = problem(before);
                    if (problem != null) {
                        unmarked.add(page + ":" + (i + 1) + ": " + problem);
                    }
                }
                inFence = !inFence;
            }
        }
        assertTrue(blocks >= 20, "command blocks found: " + blocks);
        assertEquals(List.of(), unmarked);
    }

    /** Null when the line is a valid marker, else why not. */
    private static String problem(String marker) {
        if (NOT_RUN.matcher(marker).matches()) {
            return null;
        }
        Matcher m = RUN_BY.matcher(marker);
        if (!m.matches()) {
            return "no <!-- run by NAME --> or <!-- not run by a test --> line before the block";
        }
        for (String name : m.group(1).split(", ")) {
            if (!exists(name.trim())) {
                return "names " + name + ", which is neither a test class nor a script of the repository";
            }
        }
        return null;
    }

    private static boolean exists(String name) {
        if (name.contains("/")) {
            return Files.isRegularFile(Path.of(name));
        }
        try (Stream<Path> files = Files.walk(Path.of("src", "test", "java"))) {
            return files.anyMatch(f -> f.getFileName().toString().equals(name + ".java"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md"), Path.of("CONTRIBUTING.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }
}
