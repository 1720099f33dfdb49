package org.appmetrica.loader.standalone;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * {@code --config FILE} before the subcommand: the global options (data-dir, repository-url, log-format) from a
 * properties file, through picocli's {@link CommandLine.PropertiesDefaultProvider}. An option on the command line wins
 * over the file. The file is read before parsing, since picocli applies defaults before it reads the arguments.
 */
final class GlobalConfig {

    static final List<String> KEYS = List.of("data-dir", "repository-url", "log-format");
    /** The global options that take a value: skipped while looking for --config before the subcommand. */
    private static final Set<String> WITH_VALUE = Set.of("--data-dir", "--repository-url", "--log-format", "--config",
            "--host-id", "--heartbeat-interval", "--heartbeat-timeout");

    private GlobalConfig() {
    }

    /** The first argument that is no global option nor an option's value: the subcommand's name, or null. */
    static String subcommand(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (WITH_VALUE.contains(a)) {
                i++;
            } else if (a.equals("--")) {
                return null; // what follows is no subcommand's name for picocli
            } else if (!a.startsWith("-")) {
                return a;
            }
        }
        return null;
    }

    /** The file named by a --config before the subcommand, or null. */
    static Path file(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--config=")) {
                return Path.of(a.substring("--config=".length()));
            }
            if (a.equals("--config")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--config needs a FILE");
                }
                return Path.of(args[i + 1]);
            }
            if (WITH_VALUE.contains(a)) {
                i++;
            } else if (!a.startsWith("-") || a.equals("--")) {
                return null; // the subcommand: a --config after it is the subcommand's own (run, schedule)
            }
        }
        return null;
    }

    /** Reads the file named by --config, if any, and makes its values the defaults of the global options. */
    static void apply(CommandLine commandLine, String[] args) {
        Path file = file(args);
        if (file == null) {
            return;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--config " + file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException("--config " + file + ": " + e.getMessage());
        }
        for (String key : p.stringPropertyNames()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("--config " + file + ": unknown key '" + key + "' (expected one of " + String.join(", ", KEYS) + ")");
            }
        }
        commandLine.setDefaultValueProvider(new CommandLine.PropertiesDefaultProvider(p));
    }
}
