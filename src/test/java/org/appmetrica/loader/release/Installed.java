package org.appmetrica.loader.release;

import org.appmetrica.loader.testing.Await;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The release archive unpacked into an empty directory, and its launcher's processes, started from {@code /}. */
final class Installed {

    /** The unpacked top folder, appmetrica-loader-VERSION. */
    final Path home;
    private final Path scratch;

    private Installed(Path home, Path scratch) {
        this.home = home;
        this.scratch = scratch;
    }

    static Installed unpack(Path archive, Path into) throws Exception {
        Files.createDirectories(into);
        Process tar = new ProcessBuilder("tar", "xzf", archive.toString(), "-C", into.toString()).inheritIO().start();
        if (tar.waitFor() != 0) {
            throw new AssertionError("tar xzf " + archive + " ended with " + tar.exitValue());
        }
        List<Path> top;
        try (Stream<Path> s = Files.list(into)) {
            top = s.toList();
        }
        if (top.size() != 1 || !Files.isDirectory(top.get(0))) {
            throw new AssertionError("the archive must hold one top folder, not " + top);
        }
        Path scratch = Files.createDirectories(into.resolveSibling(into.getFileName() + "-out"));
        return new Installed(top.get(0), scratch);
    }

    Path launcher() {
        return home.resolve("bin/appmetrica-loader");
    }

    /** A process's exit code and its two streams apart. */
    record Result(int exitCode, String out, String err) {
        String both() {
            return "exit " + exitCode + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
        }
    }

    /** A running process: the command from /, the environment given over this one's (less any APPMETRICA_TOKEN). */
    final class Running implements AutoCloseable {
        final Process process;
        final Path out;
        final Path err;

        Running(List<String> command, Map<String, String> env) throws IOException {
            out = Files.createTempFile(scratch, "out", ".txt");
            err = Files.createTempFile(scratch, "err", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).directory(new File("/"))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().remove("APPMETRICA_TOKEN");
            pb.environment().putAll(env);
            process = pb.start();
        }

        String out() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        /** Polls standard output until it satisfies the condition (a state, so a deadline) or the process ends. */
        String awaitOut(Predicate<String> condition, long seconds) throws Exception {
            return Await.await(() -> {
                String text = out();
                if (!condition.test(text) && !process.isAlive()) {
                    throw new AssertionError("ended before expected: " + result().both());
                }
                return text;
            }, condition, Duration.ofSeconds(seconds), () -> "the expected output: " + out() + Files.readString(err));
        }

        /** SIGTERM (what systemd sends), then the result. */
        Result terminate() throws Exception {
            process.destroy();
            return await(120);
        }

        Result await(long seconds) throws Exception {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("did not end within " + seconds + " s: " + out() + Files.readString(err));
            }
            return result();
        }

        private Result result() throws IOException {
            return new Result(process.exitValue(), out(), Files.readString(err, StandardCharsets.UTF_8));
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    Running start(Map<String, String> env, List<String> command) throws IOException {
        return new Running(command, env);
    }

    /** bin/appmetrica-loader ARGS from /, to its end. */
    Result run(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher().toString()));
        command.addAll(List.of(args));
        try (Running r = start(env, command)) {
            return r.await(300);
        }
    }
}
