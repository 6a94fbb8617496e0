package dev.rabbitworks.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RabbitMQ PerfTest ({@code com.rabbitmq.perf.PerfTest}, the Maven artifact com.rabbitmq:perf-test), run as a
 * child JVM with this module's class path (its main ends with System.exit), its per-second report lines parsed.
 */
final class PerfTestRun {

    private static final Pattern TIME = Pattern.compile("time:? ([0-9.]+) ?s");
    private static final Pattern SENT = Pattern.compile("sent: ([0-9]+) msg/s");
    private static final Pattern RECEIVED = Pattern.compile("received: ([0-9]+) msg/s");
    private static final Pattern CONFIRM_LATENCY = Pattern.compile(
            "confirm latency:? ([0-9]+)/([0-9]+)/([0-9]+)/([0-9]+)/([0-9]+) (µs|ms)");

    /** One per-second line of PerfTest's report. */
    record Second(double time, double sent, double received, double confirmP50Micros, double confirmP99Micros) {
    }

    final List<String> arguments;
    final List<Second> seconds = Collections.synchronizedList(new ArrayList<>());
    final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private Process process;
    private Thread reader;

    PerfTestRun(List<String> arguments) {
        this.arguments = List.copyOf(arguments);
    }

    static PerfTestRun start(Path logDir, String logName, List<String> arguments) throws IOException {
        PerfTestRun run = new PerfTestRun(arguments);
        run.launch(logDir.resolve(logName + ".log"));
        return run;
    }

    private void launch(Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("com.rabbitmq.perf.PerfTest");
        command.addAll(arguments);
        Files.createDirectories(log.getParent());
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)); var writer = Files.newBufferedWriter(log)) {
                String line;
                while ((line = lines.readLine()) != null) {
                    writer.write(line);
                    writer.newLine();
                    output.add(line);
                    parse(line);
                }
            } catch (IOException e) {
                output.add("(reading PerfTest's output failed: " + e + ")");
            }
        }, "perf-test-output");
        reader.setDaemon(true);
        reader.start();
    }

    private void parse(String line) {
        Matcher time = TIME.matcher(line);
        if (!line.startsWith("id:") || !time.find()) {
            return;
        }
        double sent = number(SENT, line);
        double received = number(RECEIVED, line);
        double p50 = -1;
        double p99 = -1;
        Matcher latency = CONFIRM_LATENCY.matcher(line);
        if (latency.find()) {
            double scale = latency.group(6).equals("ms") ? 1000 : 1;
            p50 = Double.parseDouble(latency.group(2)) * scale;
            p99 = Double.parseDouble(latency.group(5)) * scale;
        }
        seconds.add(new Second(Double.parseDouble(time.group(1)), sent, received, p50, p99));
    }

    private static double number(Pattern pattern, String line) {
        Matcher matcher = pattern.matcher(line);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    long pid() {
        return process.pid();
    }

    /** Waits for PerfTest to end by itself (its -z or -C/-D limits). */
    void await(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("PerfTest did not end within " + seconds + " s: " + tail());
        }
        reader.join(5_000);
        if (process.exitValue() != 0) {
            throw new IllegalStateException("PerfTest exited with " + process.exitValue() + ": " + tail());
        }
    }

    /** The seconds reported in (from, to] of PerfTest's own clock: the steady part of a run. */
    List<Second> window(double from, double to) {
        synchronized (seconds) {
            return seconds.stream().filter(s -> s.time() > from + 0.5 && s.time() <= to + 0.5).toList();
        }
    }

    static double mean(List<Second> seconds, java.util.function.ToDoubleFunction<Second> value) {
        return seconds.stream().mapToDouble(value).filter(v -> v >= 0).average().orElse(Double.NaN);
    }

    String tail() {
        synchronized (output) {
            return String.join("\n", output.subList(Math.max(0, output.size() - 15), output.size()));
        }
    }

    String commandLine() {
        return "PerfTest " + String.join(" ", arguments).replaceAll("amqp://[^ ]*", "amqp://…/bench");
    }
}
