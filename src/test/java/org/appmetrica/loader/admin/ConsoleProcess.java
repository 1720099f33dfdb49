package org.appmetrica.loader.admin;

import org.appmetrica.loader.testing.Await;
import org.appmetrica.loader.testing.LoaderCommand;
import org.appmetrica.loader.testing.TestRepository;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar target/appmetrica-loader.jar console …} as a separate process, as a user runs it, plus the CLI and an
 * HTTP client for the tests of the admin console.
 */
public final class ConsoleProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("admin console: (http://127\\.0\\.0\\.1:\\d+/)console/");

    public final Process process;
    public final Path output;
    /** http://127.0.0.1:PORT/ */
    public final String baseUrl;

    private ConsoleProcess(Process process, Path output, String baseUrl) {
        this.process = process;
        this.output = output;
        this.baseUrl = baseUrl;
    }

    /** Writes a users file with one user (hash made by the loader's own PasswordHash). */
    public static Path usersFile(Path dir, String user, String password) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("console-users");
        Files.writeString(file, "# test users\n" + user + "=" + PasswordHash.hash(password.toCharArray()) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------")); // the console refuses any other mode
        return file;
    }

    /** Starts the console on a free port and waits until it listens. */
    public static ConsoleProcess start(Path dataDir, Path users, Map<String, String> env, String... options) throws Exception {
        return start(TestRepository.options(dataDir), dataDir, users, env, options);
    }

    /** As above, with the options before {@code console} given whole ({@code --data-dir} and the repository among them). */
    public static ConsoleProcess start(List<String> globalOptions, Path dataDir, Path users, Map<String, String> env, String... options)
            throws Exception {
        // SIGINT restored as a terminal has it (see CliProcess): close() stops the console with it
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT"));
        command.addAll(LoaderCommand.java("384m"));
        command.addAll(globalOptions);
        command.addAll(List.of("console", "--port", "0", "--users", users.toString()));
        command.addAll(List.of(options));
        Files.createDirectories(dataDir);
        Path output = Files.createTempFile(dataDir, "console", ".out");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().remove("APPMETRICA_TOKEN");
        pb.environment().putAll(TestRepository.env());
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            String url = Await.await(() -> {
                Matcher listening = LISTENING.matcher(Files.readString(output, StandardCharsets.UTF_8));
                if (listening.find()) {
                    return listening.group(1);
                }
                if (!p.isAlive()) {
                    throw new AssertionError("the console ended with " + p.exitValue());
                }
                return null;
            }, Objects::nonNull, Duration.ofSeconds(60), () -> "the console did not start");
            return new ConsoleProcess(p, output, url);
        } catch (AssertionError e) {
            p.destroyForcibly();
            throw new AssertionError(e.getMessage() + ": " + Files.readString(output), e);
        }
    }

    public String text() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    /** Ctrl-C, then waits for the process to end. */
    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** Output of one CLI command: exit code, standard output and standard error apart (--json writes only JSON to stdout). */
    public record CliResult(int exitCode, String out, String err) {
    }

    public static CliResult cli(Path dataDir, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(LoaderCommand.java("256m"));
        command.addAll(TestRepository.options(dataDir));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dataDir, "cli", ".out");
        Path err = Files.createTempFile(dataDir, "cli", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("APPMETRICA_TOKEN");
        pb.environment().putAll(TestRepository.env());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the CLI did not end within 3 minutes: " + Files.readString(out) + Files.readString(err));
        }
        return new CliResult(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- HTTP

    public record Answer(int status, String body, Map<String, List<String>> headers) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** One request; headers as name, value pairs. A POST body is sent as application/json unless a Content-Type is given. */
    public Answer call(String method, String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path.replaceFirst("^/", ""))).timeout(Duration.ofSeconds(30));
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (body != null && !typed) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), r.headers().map());
    }
}
