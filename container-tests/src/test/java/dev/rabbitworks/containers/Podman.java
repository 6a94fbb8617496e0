package dev.rabbitworks.containers;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The {@code podman} command line, run as a child process with a bound on its time. */
final class Podman {

    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    record Result(List<String> command, int exitCode, String out, String err) {

        boolean ok() {
            return exitCode == 0;
        }

        /** The standard output, trimmed; fails with the command's own message when it did not succeed. */
        String orFail() {
            if (!ok()) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + exitCode + ": "
                        + err.strip());
            }
            return out.strip();
        }
    }

    private Podman() {
    }

    static Result run(String... args) {
        return run(DEFAULT_TIMEOUT, List.of(args));
    }

    static Result run(List<String> args) {
        return run(DEFAULT_TIMEOUT, args);
    }

    static Result run(Duration timeout, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add("podman");
        command.addAll(args);
        File out = null;
        File err = null;
        try {
            out = File.createTempFile("podman", ".out");
            err = File.createTempFile("podman", ".err");
            Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(nullFile()))
                    .redirectOutput(out).redirectError(err).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " still running after " + timeout);
            }
            return new Result(command, process.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    Files.readString(err.toPath(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        } finally {
            if (out != null) {
                out.delete();
            }
            if (err != null) {
                err.delete();
            }
        }
    }

    /** Whether a podman command answers at all. */
    static boolean available() {
        try {
            return run(Duration.ofSeconds(30), List.of("version", "--format", "{{.Client.Version}}")).ok();
        } catch (RuntimeException e) {
            return false;
        }
    }

    static boolean imageExists(String image) {
        return run("image", "exists", image).ok();
    }

    private static File nullFile() {
        return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
