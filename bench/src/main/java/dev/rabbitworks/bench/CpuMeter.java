package dev.rabbitworks.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Where the CPU goes during a measuring window: the cores each process used (Linux /proc user + system time), so
 * that a ratio can be read against what each side costs per message on a machine whose cores are all busy.
 */
final class CpuMeter {

    /** Cores used by each named process over a window. */
    record Usage(Map<String, Double> cores) {

        double total() {
            return cores.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        /** CPU microseconds per message (all processes), at {@code rate} messages a second. */
        double microsPerMessage(double rate) {
            return total() * 1e6 / rate;
        }

        /** e.g. "broker 40 µs + producer-service 60 µs = 100 µs per message". */
        String perMessage(double rate) {
            StringBuilder text = new StringBuilder();
            cores.forEach((name, used) -> text.append(text.isEmpty() ? "" : " + ").append(name).append(' ')
                    .append(Report.number(used * 1e6 / rate)).append(" µs"));
            return text.append(" = ").append(Report.number(microsPerMessage(rate))).append(" µs CPU per message (")
                    .append(String.format(Locale.ROOT, "%.2f", total())).append(" cores busy)").toString();
        }
    }

    private CpuMeter() {
    }

    /** CPU use measured from now until {@link Span#stop()}. */
    static final class Span {
        private final Map<String, Long> pids;
        private final Map<String, Double> start;
        private final long startNanos = System.nanoTime();

        private Span(Map<String, Long> pids) {
            this.pids = new LinkedHashMap<>(pids);
            this.start = snapshot(pids);
        }

        /** The cores used since the start (a process gone by now counts nothing: stop before it ends). */
        Usage stop() {
            Map<String, Double> end = snapshot(pids);
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            Map<String, Double> cores = new LinkedHashMap<>();
            start.forEach((name, cpu) -> cores.put(name, (end.getOrDefault(name, cpu) - cpu) / seconds));
            return new Usage(cores);
        }
    }

    static Span start(Map<String, Long> pids) {
        return new Span(pids);
    }

    /** Measures, in the background, the window that starts {@code after} from now and lasts {@code length}. */
    static CompletableFuture<Usage> window(Duration after, Duration length, Map<String, Long> pids) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(after.toMillis());
                Span span = start(pids);
                Thread.sleep(length.toMillis());
                return span.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * The local RabbitMQ node (the Erlang VM, beam.smp) that listens on {@code amqpPort}, when the broker runs on
     * this machine. Several nodes may run here (other test runs): the one holding the listening socket is ours; when
     * that cannot be read, the only beam.smp if there is exactly one.
     */
    static Optional<Long> localBroker(int amqpPort) {
        List<Long> nodes;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            nodes = processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> comm(p).equals("beam.smp"))
                    .map(p -> Long.parseLong(p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            return Optional.empty();
        }
        Set<String> sockets = listeningSockets(amqpPort);
        for (long pid : nodes) {
            if (holdsAny(pid, sockets)) {
                return Optional.of(pid);
            }
        }
        return nodes.size() == 1 ? Optional.of(nodes.get(0)) : Optional.empty();
    }

    /** "socket:[inode]" of every socket listening on {@code port} (/proc/net/tcp and tcp6, state 0A). */
    private static Set<String> listeningSockets(int port) {
        Set<String> sockets = new HashSet<>();
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields.length > 9 && fields[1].endsWith(hexPort) && fields[3].equals("0A")) {
                        sockets.add("socket:[" + fields[9] + "]");
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no such table
            }
        }
        return sockets;
    }

    private static boolean holdsAny(long pid, Set<String> sockets) {
        if (sockets.isEmpty()) {
            return false;
        }
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return sockets.contains(Files.readSymbolicLink(fd).toString());
                } catch (IOException | RuntimeException e) {
                    return false;
                }
            });
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String comm(Path process) {
        try {
            return Files.readString(process.resolve("comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static Map<String, Double> snapshot(Map<String, Long> pids) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        pids.forEach((name, pid) -> cpuSeconds(pid).ifPresent(seconds -> cpu.put(name, seconds)));
        return cpu;
    }

    /** User + system CPU time of a process so far, in seconds (fields 14 and 15 of /proc/pid/stat). */
    static Optional<Double> cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of((Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
